import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { call, registerUser, uid } from './helpers.ts';

// The RealWorld suite registers users with common passwords such as "password123".
const app = await buildTestApp({ AUTH_PASSWORD_SCREEN: 'off' });

const jwtClaims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { exp: number; iat: number };

describe('POST /api/users (register)', () => {
  test('201 with the user, a token, and null bio/image; unknown fields are ignored', async () => {
    const username = `reg${uid()}`;
    const res = await call(app, 'POST', '/api/users', {
      payload: {
        user: { username, email: `${username}@example.com`, password: 'password123', admin: true, token: 'forged' },
      },
    });
    assert.equal(res.statusCode, 201);
    const { user } = res.json();
    assert.deepEqual(Object.keys(user).sort(), ['bio', 'email', 'image', 'token', 'username']);
    assert.equal(user.username, username);
    assert.equal(user.email, `${username}@example.com`);
    assert.equal(user.bio, null);
    assert.equal(user.image, null);
    assert.notEqual(user.token, 'forged');
    assert.equal(user.token.split('.').length, 3);
  });

  test('422 "can\'t be blank" for each blank field, and for a missing wrapper', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ username: '', email: 'a@example.com', password: 'password123' }, 'username'],
      [{ username: `b${uid()}`, email: '', password: 'password123' }, 'email'],
      [{ username: `b${uid()}`, email: `b${uid()}@example.com`, password: '' }, 'password'],
    ];
    for (const [user, field] of cases) {
      const res = await call(app, 'POST', '/api/users', { payload: { user } });
      assert.equal(res.statusCode, 422);
      assert.deepEqual(res.json(), { errors: { [field]: ["can't be blank"] } });
    }
    const res = await call(app, 'POST', '/api/users', { payload: {} });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), { errors: { user: ["can't be blank"] } });
  });

  test('422 for a short password and a malformed email', async () => {
    const res = await call(app, 'POST', '/api/users', {
      payload: { user: { username: `s${uid()}`, email: 'not-an-email', password: 'short' } },
    });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), {
      errors: { email: ['is invalid'], password: ['is too short (minimum is 8 characters)'] },
    });
  });

  test('409 "has already been taken" for a username (any case) or an email', async () => {
    const taken = await registerUser(app);
    const byName = await call(app, 'POST', '/api/users', {
      payload: {
        user: { username: taken.username.toUpperCase(), email: `n${uid()}@example.com`, password: 'x'.repeat(8) },
      },
    });
    assert.equal(byName.statusCode, 409);
    assert.deepEqual(byName.json(), { errors: { username: ['has already been taken'] } });
    const byEmail = await call(app, 'POST', '/api/users', {
      payload: { user: { username: `n${uid()}`, email: taken.email, password: 'x'.repeat(8) } },
    });
    assert.equal(byEmail.statusCode, 409);
    assert.deepEqual(byEmail.json(), { errors: { email: ['has already been taken'] } });
  });
});

describe('POST /api/users/login', () => {
  test('200 with a token good for a browsing day (24 h)', async () => {
    const user = await registerUser(app);
    const res = await call(app, 'POST', '/api/users/login', {
      payload: { user: { email: user.email, password: user.password } },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json().user;
    assert.equal(body.username, user.username);
    assert.equal(body.bio, null);
    const claims = jwtClaims(body.token);
    assert.equal(claims.exp - claims.iat, 86_400);
  });

  test('401 {"credentials":["invalid"]} for a wrong password or an unknown email', async () => {
    const user = await registerUser(app);
    for (const credentials of [
      { email: user.email, password: 'wrong-password' },
      { email: `nobody${uid()}@example.com`, password: 'password123' },
    ]) {
      const res = await call(app, 'POST', '/api/users/login', { payload: { user: credentials } });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { errors: { credentials: ['invalid'] } });
    }
  });

  test('422 "can\'t be blank" for blank credentials', async () => {
    const res = await call(app, 'POST', '/api/users/login', { payload: { user: { email: '', password: '' } } });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), { errors: { email: ["can't be blank"], password: ["can't be blank"] } });
  });
});

describe('one user base with the auth module', () => {
  test('a user registered at /api/users logs in at /api/auth/login, and the token works here', async () => {
    const user = await registerUser(app);
    const login = await call(app, 'POST', '/api/auth/login', {
      payload: { login: user.username, password: user.password },
    });
    assert.equal(login.statusCode, 200, login.body);
    const me = await call(app, 'GET', '/api/user', { token: login.json().accessToken, scheme: 'Bearer' });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.username, user.username);
  });

  test('a user registered at /api/auth/register logs in at /api/users/login', async () => {
    const username = `auth${uid()}`;
    const register = await call(app, 'POST', '/api/auth/register', {
      payload: { username, email: `${username}@example.com`, password: 'password123' },
    });
    assert.equal(register.statusCode, 201, register.body);
    const login = await call(app, 'POST', '/api/users/login', {
      payload: { user: { email: `${username}@example.com`, password: 'password123' } },
    });
    assert.equal(login.statusCode, 200);
    assert.equal(login.json().user.username, username);
  });

  test('the RealWorld token is a session: logging out at /api/auth/logout ends it', async () => {
    const user = await registerUser(app);
    const logout = await call(app, 'POST', '/api/auth/logout', { token: user.token, scheme: 'Bearer' });
    assert.equal(logout.statusCode, 204);
    const me = await call(app, 'GET', '/api/user', { token: user.token });
    assert.equal(me.statusCode, 401);
    assert.deepEqual(me.json(), { errors: { token: ['is invalid'] } });
  });
});

describe('GET /api/user', () => {
  test('200 with the presented token, under both Token and Bearer', async () => {
    const user = await registerUser(app);
    for (const scheme of ['Token', 'Bearer']) {
      const res = await call(app, 'GET', '/api/user', { token: user.token, scheme });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        user: { email: user.email, token: user.token, username: user.username, bio: null, image: null },
      });
    }
  });

  test('401 "is missing" without a token, "is invalid" with a bad one', async () => {
    const missing = await call(app, 'GET', '/api/user');
    assert.equal(missing.statusCode, 401);
    assert.deepEqual(missing.json(), { errors: { token: ['is missing'] } });
    for (const token of ['abc', 'a.b.c']) {
      const bad = await call(app, 'GET', '/api/user', { token });
      assert.equal(bad.statusCode, 401);
      assert.deepEqual(bad.json(), { errors: { token: ['is invalid'] } });
    }
  });
});

describe('PUT /api/user', () => {
  test('200: updates bio, image, email and password; "" and null clear bio and image', async () => {
    const user = await registerUser(app);
    const email = `new${uid()}@example.com`;
    const res = await call(app, 'PUT', '/api/user', {
      token: user.token,
      payload: {
        user: { bio: 'I like dragons', image: 'https://example.com/me.png', email, password: 'newpassword1' },
      },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().user, {
      email,
      token: user.token,
      username: user.username,
      bio: 'I like dragons',
      image: 'https://example.com/me.png',
    });
    const login = await call(app, 'POST', '/api/users/login', {
      payload: { user: { email, password: 'newpassword1' } },
    });
    assert.equal(login.statusCode, 200);

    const cleared = await call(app, 'PUT', '/api/user', {
      token: user.token,
      payload: { user: { bio: '', image: null } },
    });
    assert.equal(cleared.statusCode, 200);
    assert.equal(cleared.json().user.bio, null);
    assert.equal(cleared.json().user.image, null);
  });

  test('409 for a taken username, 422 for an empty update or a bad email, 401 without a token', async () => {
    const user = await registerUser(app);
    const other = await registerUser(app);
    const taken = await call(app, 'PUT', '/api/user', {
      token: user.token,
      payload: { user: { username: other.username } },
    });
    assert.equal(taken.statusCode, 409);
    assert.deepEqual(taken.json(), { errors: { username: ['has already been taken'] } });

    const empty = await call(app, 'PUT', '/api/user', { token: user.token, payload: { user: { token: 'x' } } });
    assert.equal(empty.statusCode, 422);
    assert.deepEqual(empty.json(), { errors: { user: ["can't be blank"] } });

    const badEmail = await call(app, 'PUT', '/api/user', {
      token: user.token,
      payload: { user: { email: 'nope' } },
    });
    assert.equal(badEmail.statusCode, 422);
    assert.deepEqual(badEmail.json(), { errors: { email: ['is invalid'] } });

    const anonymous = await call(app, 'PUT', '/api/user', { payload: { user: { bio: 'x' } } });
    assert.equal(anonymous.statusCode, 401);
    assert.deepEqual(anonymous.json(), { errors: { token: ['is missing'] } });
  });
});

describe('profiles and follows', () => {
  test('GET a profile: 200 anonymously (following false), case-insensitive; 404 for an unknown user', async () => {
    const user = await registerUser(app);
    const res = await call(app, 'GET', `/api/profiles/${user.username.toUpperCase()}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { profile: { username: user.username, bio: null, image: null, following: false } });
    const missing = await call(app, 'GET', `/api/profiles/nobody${uid()}`);
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { errors: { profile: ['not found'] } });
  });

  test('follow and unfollow are idempotent and show in the profile', async () => {
    const [fan, star] = [await registerUser(app), await registerUser(app)];
    const url = `/api/profiles/${star.username}/follow`;
    for (let i = 0; i < 2; i++) {
      const res = await call(app, 'POST', url, { token: fan.token });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().profile, { username: star.username, bio: null, image: null, following: true });
    }
    const seen = await call(app, 'GET', `/api/profiles/${star.username}`, { token: fan.token });
    assert.equal(seen.json().profile.following, true);
    for (let i = 0; i < 2; i++) {
      const res = await call(app, 'DELETE', url, { token: fan.token });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().profile.following, false);
    }
    const after = await call(app, 'GET', `/api/profiles/${star.username}`, { token: fan.token });
    assert.equal(after.json().profile.following, false);
  });

  test('following yourself is refused (422), and stays undone; unfollowing yourself is a no-op', async () => {
    const user = await registerUser(app);
    const url = `/api/profiles/${user.username}/follow`;
    const res = await call(app, 'POST', url, { token: user.token });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), { errors: { profile: ['cannot be followed by its own user'] } });
    const seen = await call(app, 'GET', `/api/profiles/${user.username}`, { token: user.token });
    assert.equal(seen.json().profile.following, false);
    const unfollow = await call(app, 'DELETE', url, { token: user.token });
    assert.equal(unfollow.statusCode, 200);
    assert.equal(unfollow.json().profile.following, false);
  });

  test('follow: 401 without a token, 404 for an unknown user', async () => {
    const user = await registerUser(app);
    for (const method of ['POST', 'DELETE'] as const) {
      const anonymous = await call(app, method, `/api/profiles/${user.username}/follow`);
      assert.equal(anonymous.statusCode, 401);
      assert.deepEqual(anonymous.json(), { errors: { token: ['is missing'] } });
      const missing = await call(app, method, `/api/profiles/nobody${uid()}/follow`, { token: user.token });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json(), { errors: { profile: ['not found'] } });
    }
  });
});
