import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { call, createArticle, registerUser, uid } from './helpers.ts';

const app = await buildTestApp({ AUTH_PASSWORD_SCREEN: 'off' });

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('comments', () => {
  test('POST 201 with the comment; GET lists them oldest first, for anyone', async () => {
    const [author, reader] = [await registerUser(app), await registerUser(app)];
    const { slug } = await createArticle(app, author);
    const ids: number[] = [];
    for (const [who, body] of [
      [reader, 'First!'],
      [author, 'Thanks'],
    ] as const) {
      const res = await call(app, 'POST', `/api/articles/${slug}/comments`, {
        token: who.token,
        payload: { comment: { body } },
      });
      assert.equal(res.statusCode, 201);
      const { comment } = res.json();
      assert.ok(Number.isInteger(comment.id));
      assert.equal(comment.body, body);
      assert.match(comment.createdAt, ISO);
      assert.match(comment.updatedAt, ISO);
      assert.deepEqual(comment.author, { username: who.username, bio: null, image: null, following: false });
      ids.push(comment.id);
    }

    const anonymous = await call(app, 'GET', `/api/articles/${slug}/comments`);
    assert.equal(anonymous.statusCode, 200);
    assert.deepEqual(
      anonymous.json().comments.map((c: { id: number; body: string }) => [c.id, c.body]),
      [
        [ids[0], 'First!'],
        [ids[1], 'Thanks'],
      ],
    );
    await call(app, 'POST', `/api/profiles/${author.username}/follow`, { token: reader.token });
    const signedIn = (await call(app, 'GET', `/api/articles/${slug}/comments`, { token: reader.token })).json();
    assert.deepEqual(
      signedIn.comments.map((c: { author: { following: boolean } }) => c.author.following),
      [false, true],
    );
  });

  test('POST: 401 anonymous, 404 unknown article, 422 blank body', async () => {
    const user = await registerUser(app);
    const { slug } = await createArticle(app, user);
    const anonymous = await call(app, 'POST', `/api/articles/${slug}/comments`, {
      payload: { comment: { body: 'x' } },
    });
    assert.equal(anonymous.statusCode, 401);
    assert.deepEqual(anonymous.json(), { errors: { token: ['is missing'] } });
    const missing = await call(app, 'POST', `/api/articles/missing-${uid()}/comments`, {
      token: user.token,
      payload: { comment: { body: 'x' } },
    });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { errors: { article: ['not found'] } });
    for (const payload of [{ comment: { body: '' } }, { comment: { body: '  ' } }, { comment: {} }]) {
      const blank = await call(app, 'POST', `/api/articles/${slug}/comments`, { token: user.token, payload });
      assert.equal(blank.statusCode, 422);
      assert.deepEqual(blank.json(), { errors: { body: ["can't be blank"] } });
    }
  });

  test('GET: 404 unknown article', async () => {
    const res = await call(app, 'GET', `/api/articles/missing-${uid()}/comments`);
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), { errors: { article: ['not found'] } });
  });

  test('DELETE: 204 for its author; 403 for others; 404 unknown or on another article; 401; 422 bad id', async () => {
    const [author, other] = [await registerUser(app), await registerUser(app)];
    const { slug } = await createArticle(app, author);
    const elsewhere = await createArticle(app, author);
    const posted = await call(app, 'POST', `/api/articles/${slug}/comments`, {
      token: author.token,
      payload: { comment: { body: "A's comment" } },
    });
    const { id } = posted.json().comment;
    const url = `/api/articles/${slug}/comments/${id}`;

    const forbidden = await call(app, 'DELETE', url, { token: other.token });
    assert.equal(forbidden.statusCode, 403);
    assert.deepEqual(forbidden.json(), { errors: { comment: ['forbidden'] } });
    assert.equal((await call(app, 'DELETE', url)).statusCode, 401);
    const wrongArticle = await call(app, 'DELETE', `/api/articles/${elsewhere.slug}/comments/${id}`, {
      token: author.token,
    });
    assert.equal(wrongArticle.statusCode, 404);
    assert.deepEqual(wrongArticle.json(), { errors: { comment: ['not found'] } });
    const badId = await call(app, 'DELETE', `/api/articles/${slug}/comments/abc`, { token: author.token });
    assert.equal(badId.statusCode, 422);
    assert.deepEqual(badId.json(), { errors: { id: ['is invalid'] } });

    const deleted = await call(app, 'DELETE', url, { token: author.token });
    assert.equal(deleted.statusCode, 204);
    assert.deepEqual((await call(app, 'GET', `/api/articles/${slug}/comments`)).json(), { comments: [] });
    const again = await call(app, 'DELETE', url, { token: author.token });
    assert.equal(again.statusCode, 404);
    assert.deepEqual(again.json(), { errors: { comment: ['not found'] } });
  });

  test('deleting an article deletes its comments', async () => {
    const author = await registerUser(app);
    const { slug } = await createArticle(app, author);
    await call(app, 'POST', `/api/articles/${slug}/comments`, {
      token: author.token,
      payload: { comment: { body: 'x' } },
    });
    assert.equal((await call(app, 'DELETE', `/api/articles/${slug}`, { token: author.token })).statusCode, 204);
    const count = await app.db
      .selectFrom('blog_comments')
      .innerJoin('user_profiles', 'user_profiles.id', 'blog_comments.author_id')
      .where('user_profiles.username', '=', author.username)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });
});
