import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { type CryptoKey, decodeProtectedHeader, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import { buildTestApp } from '../../helpers/app.ts';
import { bearerUser, problemShape, register } from './support.ts';

const app = await buildTestApp();
const { issuer } = app.config.auth;
const AUDIENCE = 'groundwork-api';

const me = (authorization: string) => app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization } });

/** Claims exactly like a real token's, for a real user and session. */
async function realClaims() {
  const user = await bearerUser(app);
  const token = user.tokens.accessToken;
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    sub: string;
    sid: string;
  };
  const { kid } = decodeProtectedHeader(token);
  return { user, token, sub: payload.sub, sid: payload.sid, kid: kid ?? '' };
}

function claimsJwt(sub: string, sid: string) {
  return new SignJWT({ sid }).setSubject(sub).setIssuer(issuer).setAudience(AUDIENCE).setIssuedAt();
}

// The generic answer every rejected credential gets: nothing says which check failed.
let reference: Record<string, unknown> | undefined;
async function assertRejected(authorization: string, label: string) {
  const res = await me(authorization);
  assert.equal(res.statusCode, 401, `${label}: ${res.body}`);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  const shape = problemShape(res.body);
  reference ??= shape;
  assert.deepEqual(shape, reference, `${label} answered differently`);
  assert.equal(shape.detail, 'Missing, invalid or expired credentials');
}

test('a real token works (the control for every attack below)', async () => {
  const { token } = await realClaims();
  assert.equal((await me(`Bearer ${token}`)).statusCode, 200);
});

test('alg: none is refused', async () => {
  const { sub, sid, kid } = await realClaims();
  const unsigned = new UnsecuredJWT({ sid })
    .setSubject(sub)
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m');
  await assertRejected(`Bearer ${unsigned.encode()}`, 'alg none');
  // And with our kid in the header, in case a verifier trusted the header's key id first.
  const [, body] = unsigned.encode().split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url');
  await assertRejected(`Bearer ${header}.${body}.`, 'alg none with kid');
});

test('a valid EdDSA token signed by a different key with our kid is refused', async () => {
  const { sub, sid, kid } = await realClaims();
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const forged = await claimsJwt(sub, sid)
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
    .setExpirationTime('5m')
    .sign(privateKey);
  await assertRejected(`Bearer ${forged}`, 'wrong key');
});

test('algorithm confusion: HS256 keyed with the public key is refused', async () => {
  const { sub, sid, kid } = await realClaims();
  const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: JWK[] };
  const publicJwk = jwks.keys.find((k) => k.kid === kid);
  assert.ok(publicJwk?.x);
  // The raw public key bytes, and the JWK as published: the two "secrets" a confused verifier would use.
  for (const secret of [Buffer.from(publicJwk.x, 'base64url'), Buffer.from(JSON.stringify(publicJwk))]) {
    const forged = await claimsJwt(sub, sid)
      .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
      .setExpirationTime('5m')
      .sign(new Uint8Array(secret));
    await assertRejected(`Bearer ${forged}`, 'HS256 with the public key');
  }
});

test('an expired token signed with the real key is refused', async () => {
  const { sub, sid } = await realClaims();
  const { kid, key } = await app.auth.keys.current();
  const expired = await claimsJwt(sub, sid)
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
    .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(key as CryptoKey);
  await assertRejected(`Bearer ${expired}`, 'expired');
});

test('a tampered payload (another user’s id under the original signature) is refused', async () => {
  const { token, sid } = await realClaims();
  const victim = await register(app);
  const [header, , signature] = token.split('.');
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
  const tampered = Buffer.from(JSON.stringify({ ...payload, sub: victim.id, sid })).toString('base64url');
  await assertRejected(`Bearer ${header}.${tampered}.${signature}`, 'tampered payload');
  // Even a one-character change to the signature fails.
  const flipped = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
  await assertRejected(`Bearer ${flipped}`, 'tampered signature');
});

test('an unknown kid is refused (and does not hammer the database)', async () => {
  const { sub, sid } = await realClaims();
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const forged = await claimsJwt(sub, sid)
    .setProtectedHeader({ alg: 'EdDSA', kid: randomUUID(), typ: 'JWT' })
    .setExpirationTime('5m')
    .sign(privateKey);
  await assertRejected(`Bearer ${forged}`, 'unknown kid');
  const noKid = await claimsJwt(sub, sid)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setExpirationTime('5m')
    .sign(privateKey);
  await assertRejected(`Bearer ${noKid}`, 'no kid');
});

test('a token of a revoked (logged-out) session is refused', async () => {
  const { token } = await realClaims();
  const logout = await app.inject({
    method: 'POST',
    url: '/api/auth/logout',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(logout.statusCode, 204);
  await assertRejected(`Bearer ${token}`, 'revoked session');
});

test('garbage, wrong schemes and a token for a session of someone else are refused alike', async () => {
  const a = await realClaims();
  const b = await realClaims();
  const { kid, key } = await app.auth.keys.current();
  // A correctly signed token whose sid belongs to another user (a bug elsewhere must not become access).
  const mismatched = await claimsJwt(a.sub, b.sid)
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
    .setExpirationTime('5m')
    .sign(key as CryptoKey);
  await assertRejected(`Bearer ${mismatched}`, 'sid of another user');
  await assertRejected('Bearer x.y.z', 'garbage');
  await assertRejected(`Basic ${a.token}`, 'wrong scheme');
  await assertRejected('Bearer', 'empty');
});

test('refresh-token reuse revokes the whole family, and is audited', async () => {
  const { user } = await realClaims();
  const { refreshToken, accessToken } = user.tokens;
  const rotated = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  assert.equal(rotated.statusCode, 200);
  const next = rotated.json();
  // An attacker replays the stolen (already used) refresh token.
  const replay = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
  assert.equal(replay.statusCode, 401);
  assert.equal(replay.json().code, 'REFRESH_TOKEN_REUSED');
  // Every token of the family is dead: the newer refresh token and both access tokens.
  const after = await app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: next.refreshToken },
  });
  assert.equal(after.statusCode, 401);
  await assertRejected(`Bearer ${next.accessToken}`, 'access token of a reused family');
  await assertRejected(`Bearer ${accessToken}`, 'first access token of a reused family');
  const events = await app.db
    .selectFrom('auth_audit_events')
    .select('type')
    .where('user_id', '=', user.account.id)
    .where('type', '=', 'refresh_token_reused')
    .execute();
  assert.equal(events.length, 1);
});

test('log-in answers do not reveal whether an account exists (status, body, and shape)', async () => {
  const { user } = await realClaims();
  const cases = [
    { login: user.account.email, password: 'wrong password' },
    { login: user.account.username, password: 'wrong password' },
    { login: 'no-such-user@example.com', password: 'wrong password' },
    { login: 'no_such_user', password: 'wrong password' },
  ];
  const answers = [];
  for (const payload of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload });
    answers.push({ status: res.statusCode, body: problemShape(res.body), retryAfter: res.headers['retry-after'] });
  }
  for (const answer of answers) assert.deepEqual(answer, answers[0]);
  assert.equal(answers[0]?.status, 401);
  // The cookie log-in answers the same way.
  const cookie = await app.inject({ method: 'POST', url: '/api/auth/session', payload: cases[2] });
  assert.equal(cookie.statusCode, 401);
  assert.equal(problemShape(cookie.body).detail, answers[0]?.body.detail);
});
