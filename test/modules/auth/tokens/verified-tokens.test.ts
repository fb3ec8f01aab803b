import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mock, test } from 'node:test';
import { signAccessToken, VerifiedTokens } from '../../../../src/modules/auth/tokens/access-tokens.ts';
import { buildTestApp } from '../../../helpers/app.ts';

const app = await buildTestApp();
const issuer = app.config.auth.issuer;

test('a remembered token is still refused once it expires, and a tampered one is never taken for it', async (t) => {
  const claims = { userId: randomUUID(), sessionId: randomUUID() };
  const token = await signAccessToken(app.auth.keys, claims, { issuer, ttlSeconds: 60 });
  const verified = new VerifiedTokens();

  assert.deepEqual((await verified.verify(app.auth.keys, token, issuer))?.sessionId, claims.sessionId);
  assert.equal((await verified.verify(app.auth.keys, token, issuer))?.userId, claims.userId, 'remembered');

  const [header, payload, signature] = token.split('.');
  // Change the signature's first character: it carries six whole bits, so the bytes always change.
  const flipped = signature?.startsWith('A') ? 'B' : 'A';
  const forged = `${header}.${payload}.${flipped}${signature?.slice(1)}`;
  assert.equal(await verified.verify(app.auth.keys, forged, issuer), null);

  t.mock.timers.enable({ apis: ['Date'], now: Date.now() + 61_000 });
  try {
    assert.equal(await verified.verify(app.auth.keys, token, issuer), null, 'expired, even though remembered');
  } finally {
    mock.timers.reset();
  }
});
