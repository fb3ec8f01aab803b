import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeAdmin } from '../../src/modules/auth/admin/admin-service.ts';
import { buildTestApp } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';
import { bearerLogin, bearerUser, register } from '../modules/auth/support.ts';
import { call, createArticle, registerUser } from '../modules/blog/helpers.ts';

/**
 * What a request body may be, on the real routes: JSON or nothing. Many clients (RealWorld
 * frontends among them) send `Content-Type: application/json` on every request, bodiless ones too.
 */
// The blog's test users have RealWorld's common passwords. The sweep below calls the mail routes,
// whose per-IP limit a shared Redis keeps across runs.
const app = await buildTestApp({ AUTH_PASSWORD_SCREEN: 'off', AUTH_EMAIL_RATE_PER_IP: '100000' });

const JSON_TYPE = { 'content-type': 'application/json' };

test('an empty JSON body on routes that take none is accepted (blog and auth)', async () => {
  const author = await registerUser(app, 'author');
  const reader = await registerUser(app, 'reader');
  const article = await createArticle(app, author);
  const comment = await call(app, 'POST', `/api/articles/${article.slug}/comments`, {
    token: reader.token,
    payload: { comment: { body: 'Nice' } },
  });
  assert.equal(comment.statusCode, 201, comment.body);
  const as = (token: string, method: 'POST' | 'DELETE', url: string) =>
    app.inject({ method, url, payload: '', headers: { ...JSON_TYPE, authorization: `Token ${token}` } });

  const favorite = await as(reader.token, 'POST', `/api/articles/${article.slug}/favorite`);
  assert.equal(favorite.statusCode, 200, favorite.body);
  assert.equal(favorite.json().article.favorited, true);
  const unfavorite = await as(reader.token, 'DELETE', `/api/articles/${article.slug}/favorite`);
  assert.equal(unfavorite.statusCode, 200, unfavorite.body);
  assert.equal(unfavorite.json().article.favoritesCount, 0);
  const follow = await as(reader.token, 'POST', `/api/profiles/${author.username}/follow`);
  assert.equal(follow.statusCode, 200, follow.body);
  assert.equal(follow.json().profile.following, true);
  const unfollow = await as(reader.token, 'DELETE', `/api/profiles/${author.username}/follow`);
  assert.equal(unfollow.statusCode, 200, unfollow.body);
  assert.equal(unfollow.json().profile.following, false);
  const deleteComment = await as(
    reader.token,
    'DELETE',
    `/api/articles/${article.slug}/comments/${comment.json().comment.id}`,
  );
  assert.equal(deleteComment.statusCode, 204, deleteComment.body);
  const deleteArticle = await as(author.token, 'DELETE', `/api/articles/${article.slug}`);
  assert.equal(deleteArticle.statusCode, 204, deleteArticle.body);

  const { headers } = await bearerUser(app);
  const logout = await app.inject({
    method: 'POST',
    url: '/api/auth/logout',
    payload: '',
    headers: { ...headers, ...JSON_TYPE },
  });
  assert.equal(logout.statusCode, 204, logout.body);
});

test('an empty JSON body on a route that needs one is that route’s own validation error', async () => {
  const blog = await app.inject({ method: 'POST', url: '/api/users', payload: '', headers: JSON_TYPE });
  assert.equal(blog.statusCode, 422, blog.body);
  assert.deepEqual(blog.json(), { errors: { body: ["can't be blank"] } });

  const { headers } = await bearerUser(app);
  const project = await app.inject({
    method: 'POST',
    url: '/api/projects',
    payload: '',
    headers: { ...headers, ...JSON_TYPE },
  });
  const problem = assertProblem(project, 422, 'VALIDATION_FAILED');
  assert.deepEqual(problem.errors, [{ field: 'body', message: 'must be object' }]);
});

test('a body of a type no route takes is 415 UNSUPPORTED_MEDIA_TYPE, in both error shapes', async () => {
  const { headers } = await bearerUser(app);
  const project = await app.inject({
    method: 'POST',
    url: '/api/projects',
    payload: 'name=Launch',
    headers: { ...headers, 'content-type': 'text/plain' },
  });
  const problem = assertProblem(project, 415, 'UNSUPPORTED_MEDIA_TYPE');
  assert.equal(problem.detail, 'Unsupported Media Type');

  const blog = await app.inject({
    method: 'POST',
    url: '/api/users',
    payload: 'hello',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
  assert.equal(blog.statusCode, 415, blog.body);
  assert.deepEqual(blog.json(), { errors: { request: ['Unsupported Media Type'] } });
});

/** Every documented operation that may carry a body, with its path parameters filled in. */
async function writeOperations() {
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const operations: Array<{ method: string; url: string }> = [];
  type Operation = { security?: Array<Record<string, unknown>> };
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
    for (const method of ['post', 'put', 'patch', 'delete']) {
      // A route only a quiz game's player token opens answers this account 401 before reading any
      // body (authentication comes first everywhere); the quiz tests send it bodies as a player.
      const playerOnly = item[method]?.security?.every((scheme) => 'playerToken' in scheme);
      if (item[method] && !playerOnly) {
        operations.push({
          method: method.toUpperCase(),
          url: path.replaceAll(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
        });
      }
    }
  }
  // Logging out ends the caller's session: last, so the token works for every other route.
  return operations.sort((a, b) => Number(a.url.includes('/logout')) - Number(b.url.includes('/logout')));
}

test('on every write route: text/plain is 415, and an empty JSON body is never a 400', async () => {
  // An admin, so the admin routes' role check (which comes before the body) lets the request through.
  const account = await register(app);
  assert.equal(await makeAdmin(app.db, account.email), 'promoted');
  const headers = { authorization: `Bearer ${(await bearerLogin(app, account)).accessToken}` };
  const operations = await writeOperations();
  assert.ok(operations.length > 30, `only ${operations.length} write operations documented`);
  for (const { method, url } of operations) {
    const typed = await app.inject({
      method: method as 'POST',
      url,
      payload: 'hello',
      headers: { ...headers, 'content-type': 'text/plain' },
    });
    assert.equal(typed.statusCode, 415, `${method} ${url} with text/plain: ${typed.body}`);
  }
  // These run the handlers; logging out (last) ends the session.
  for (const { method, url } of operations) {
    const empty = await app.inject({
      method: method as 'POST',
      url,
      payload: '',
      headers: { ...headers, ...JSON_TYPE },
    });
    assert.notEqual(empty.statusCode, 400, `${method} ${url} with an empty JSON body: ${empty.body}`);
    assert.ok(empty.statusCode < 500, `${method} ${url} with an empty JSON body: ${empty.body}`);
  }
});
