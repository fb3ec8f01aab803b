/**
 * The example values the OpenAPI document shows for auth's main operations (what `/docs` puts in
 * front of a newcomer): one account, Ada, from registration to a refreshed pair of tokens. A test
 * checks each against its schema and sends each request example to its route.
 */

const PASSWORD = 'correct horse battery staple';

export const account = {
  id: '7a7ab230-5b0b-48da-97a8-51dbf5d00b01',
  email: 'ada@example.com',
  username: 'ada',
  bio: null,
  image: null,
  role: 'user',
  emailVerified: false,
  createdAt: '2026-12-01T09:30:00.000Z',
} as const;

export const registration = { email: account.email, username: account.username, password: PASSWORD };

export const login = { login: account.email, password: PASSWORD };

// Shortened: a real access token is an EdDSA JWT of about 330 characters.
const ACCESS_TOKEN = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3YTdhYjIzMC01YjBiIn0.1GD981wvvswDwuQYVM55Hi2X';
const REFRESH_TOKEN = '3KzvRfxiEXrWDHnqyzhmTo06LCyf4nn7K_fWP1Wo9Ec';

export const tokens = {
  accessToken: ACCESS_TOKEN,
  refreshToken: REFRESH_TOKEN,
  tokenType: 'Bearer',
  expiresIn: 900,
  user: account,
} as const;

export const refresh = { refreshToken: REFRESH_TOKEN };

export const profileChange = { bio: 'I write release notes.', image: 'https://example.com/ada.png' };
