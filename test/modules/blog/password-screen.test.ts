import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { call, uid } from './helpers.ts';

// The password screen on, as it is by default (the other blog tests turn it off for RealWorld's
// own suite, which registers with "password123").
const app = await buildTestApp();
const TOO_COMMON = { errors: { password: ['is too common; choose a less guessable password'] } };

test('POST /api/users with a common password says it is too common, as the auth API does', async () => {
  for (const password of ['12345678', 'password123']) {
    const username = `c${uid()}`;
    const res = await call(app, 'POST', '/api/users', {
      payload: { user: { username, email: `${username}@example.com`, password } },
    });
    assert.equal(res.statusCode, 422, password);
    assert.deepEqual(res.json(), TOO_COMMON);
  }
});

test('PUT /api/user with a common password says it is too common; a blank one is still blank', async () => {
  const username = `c${uid()}`;
  const user = { username, email: `${username}@example.com`, password: 'a long unusual passphrase' };
  const registered = await call(app, 'POST', '/api/users', { payload: { user } });
  assert.equal(registered.statusCode, 201, registered.body);
  const token = registered.json().user.token as string;

  const common = await call(app, 'PUT', '/api/user', { token, payload: { user: { password: '12345678' } } });
  assert.equal(common.statusCode, 422);
  assert.deepEqual(common.json(), TOO_COMMON);
  const blank = await call(app, 'PUT', '/api/user', { token, payload: { user: { password: '' } } });
  assert.equal(blank.statusCode, 422);
  assert.deepEqual(blank.json(), { errors: { password: ["can't be blank"] } });
});
