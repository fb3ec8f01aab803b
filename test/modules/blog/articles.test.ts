import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { call, createArticle, registerUser, uid } from './helpers.ts';

const app = await buildTestApp({ AUTH_PASSWORD_SCREEN: 'off' });

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('POST /api/articles', () => {
  test('201 with the article; tags deduplicated and sorted; markdown body stored as given', async () => {
    const author = await registerUser(app);
    const body = '# Dragons\n\n<script>alert(1)</script> *as written*\n\n';
    const res = await call(app, 'POST', '/api/articles', {
      token: author.token,
      payload: {
        article: {
          title: 'How to train your dragon',
          description: 'Ever wonder how?',
          body,
          tagList: ['training', 'dragons', 'dragons'],
          slug: 'forged',
          favoritesCount: 99,
        },
      },
    });
    assert.equal(res.statusCode, 201);
    const { article } = res.json();
    assert.match(article.slug, /^how-to-train-your-dragon(-[a-z0-9]{6})?$/);
    assert.equal(article.title, 'How to train your dragon');
    assert.equal(article.description, 'Ever wonder how?');
    assert.equal(article.body, body);
    assert.deepEqual(article.tagList, ['dragons', 'training']);
    assert.match(article.createdAt, ISO);
    assert.match(article.updatedAt, ISO);
    assert.equal(article.favorited, false);
    assert.equal(article.favoritesCount, 0);
    assert.deepEqual(article.author, { username: author.username, bio: null, image: null, following: false });
  });

  test('401 without a token', async () => {
    const res = await call(app, 'POST', '/api/articles', {
      payload: { article: { title: 't', description: 'd', body: 'b' } },
    });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { errors: { token: ['is missing'] } });
  });

  test('422 "can\'t be blank" for blank or missing fields, a missing wrapper and tagList null', async () => {
    const author = await registerUser(app);
    const cases: Array<[unknown, Record<string, string[]>]> = [
      [{ article: { title: '', description: 'd', body: 'b' } }, { title: ["can't be blank"] }],
      [{ article: { title: '   ', description: 'd', body: 'b' } }, { title: ["can't be blank"] }],
      [{ article: { title: 't', body: 'b' } }, { description: ["can't be blank"] }],
      [{ article: { title: 't', description: 'd' } }, { body: ["can't be blank"] }],
      [{ article: { title: 't', description: 'd', body: 'b', tagList: null } }, { tagList: ["can't be blank"] }],
      [{}, { article: ["can't be blank"] }],
    ];
    for (const [payload, errors] of cases) {
      const res = await call(app, 'POST', '/api/articles', { token: author.token, payload });
      assert.equal(res.statusCode, 422, JSON.stringify(payload));
      assert.deepEqual(res.json(), { errors }, JSON.stringify(payload));
    }
  });
});

describe('slugs', () => {
  test('duplicate titles get distinct slugs that still read like the title', async () => {
    const author = await registerUser(app);
    const title = `Same title ${uid()}`;
    const first = await createArticle(app, author, { title });
    const second = await createArticle(app, author, { title });
    const base = title.toLowerCase().replaceAll(' ', '-');
    assert.equal(first.slug, base);
    assert.match(second.slug, new RegExp(`^${base}-[a-z0-9]{6}$`));
    assert.equal((await call(app, 'GET', `/api/articles/${second.slug}`)).json().article.title, title);
  });

  test('stable when the title is unchanged, rewritten when it changes', async () => {
    const author = await registerUser(app);
    const article = await createArticle(app, author, { title: `Stable ${uid()}` });
    const sameTitle = await call(app, 'PUT', `/api/articles/${article.slug}`, {
      token: author.token,
      payload: { article: { title: article.title, body: 'new body' } },
    });
    assert.equal(sameTitle.json().article.slug, article.slug);
    const noTitle = await call(app, 'PUT', `/api/articles/${article.slug}`, {
      token: author.token,
      payload: { article: { description: 'new description' } },
    });
    assert.equal(noTitle.json().article.slug, article.slug);

    const newTitle = `Renamed ${uid()}`;
    const renamed = await call(app, 'PUT', `/api/articles/${article.slug}`, {
      token: author.token,
      payload: { article: { title: newTitle } },
    });
    assert.equal(renamed.statusCode, 200);
    assert.equal(renamed.json().article.slug, newTitle.toLowerCase().replaceAll(' ', '-'));
    assert.equal((await call(app, 'GET', `/api/articles/${article.slug}`)).statusCode, 404);
    assert.equal((await call(app, 'GET', `/api/articles/${renamed.json().article.slug}`)).statusCode, 200);
  });

  test('non-Latin titles are transliterated; a title with nothing sluggable still gets a slug', async () => {
    const author = await registerUser(app);
    const german = await createArticle(app, author, { title: `Über Größe ${uid()}` });
    assert.match(german.slug, /^ueber-groesse-[a-z0-9]+/);
    const emoji = await createArticle(app, author, { title: '🐉🐉' });
    assert.match(emoji.slug, /^article(-[a-z0-9]{6})?$/);
  });
});

describe('GET /api/articles/:slug', () => {
  test('200 anonymously, with favorited and following for a signed-in reader; 404 unknown', async () => {
    const [author, reader] = [await registerUser(app), await registerUser(app)];
    const article = await createArticle(app, author);
    const anonymous = await call(app, 'GET', `/api/articles/${article.slug}`);
    assert.equal(anonymous.statusCode, 200);
    assert.deepEqual(anonymous.json().article, article);

    await call(app, 'POST', `/api/profiles/${author.username}/follow`, { token: reader.token });
    await call(app, 'POST', `/api/articles/${article.slug}/favorite`, { token: reader.token });
    const seen = (await call(app, 'GET', `/api/articles/${article.slug}`, { token: reader.token })).json().article;
    assert.equal(seen.favorited, true);
    assert.equal(seen.favoritesCount, 1);
    assert.equal(seen.author.following, true);

    const missing = await call(app, 'GET', `/api/articles/missing-${uid()}`);
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { errors: { article: ['not found'] } });
  });
});

describe('PUT /api/articles/:slug', () => {
  test('200 updates fields and replaces tags; [] clears them; updatedAt moves', async () => {
    const author = await registerUser(app);
    const article = await createArticle(app, author, { tagList: ['a', 'b'] });
    const res = await call(app, 'PUT', `/api/articles/${article.slug}`, {
      token: author.token,
      payload: { article: { description: 'changed', body: 'changed body', tagList: ['b', 'c'] } },
    });
    assert.equal(res.statusCode, 200);
    const updated = res.json().article;
    assert.equal(updated.description, 'changed');
    assert.equal(updated.body, 'changed body');
    assert.deepEqual(updated.tagList, ['b', 'c']);
    assert.equal(updated.createdAt, article.createdAt);
    assert.ok(updated.updatedAt >= (article.updatedAt as string));

    const cleared = await call(app, 'PUT', `/api/articles/${article.slug}`, {
      token: author.token,
      payload: { article: { tagList: [] } },
    });
    assert.deepEqual(cleared.json().article.tagList, []);
  });

  test('403 for another user, 404 unknown, 401 anonymous, 422 blank title or tagList null', async () => {
    const [author, other] = [await registerUser(app), await registerUser(app)];
    const article = await createArticle(app, author);
    const url = `/api/articles/${article.slug}`;
    const payload = { article: { body: 'hijack' } };

    const forbidden = await call(app, 'PUT', url, { token: other.token, payload });
    assert.equal(forbidden.statusCode, 403);
    assert.deepEqual(forbidden.json(), { errors: { article: ['forbidden'] } });
    const missing = await call(app, 'PUT', `/api/articles/missing-${uid()}`, { token: author.token, payload });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { errors: { article: ['not found'] } });
    const anonymous = await call(app, 'PUT', url, { payload });
    assert.equal(anonymous.statusCode, 401);
    for (const [change, field] of [
      [{ title: '' }, 'title'],
      [{ tagList: null }, 'tagList'],
    ] as const) {
      const invalid = await call(app, 'PUT', url, { token: author.token, payload: { article: change } });
      assert.equal(invalid.statusCode, 422);
      assert.deepEqual(invalid.json(), { errors: { [field]: ["can't be blank"] } });
    }
    assert.equal((await call(app, 'GET', url)).json().article.body, article.body);
  });
});

describe('DELETE /api/articles/:slug', () => {
  test('204, then 404; 403 for another user; 401 anonymous', async () => {
    const [author, other] = [await registerUser(app), await registerUser(app)];
    const article = await createArticle(app, author);
    const url = `/api/articles/${article.slug}`;
    const forbidden = await call(app, 'DELETE', url, { token: other.token });
    assert.equal(forbidden.statusCode, 403);
    assert.deepEqual(forbidden.json(), { errors: { article: ['forbidden'] } });
    assert.equal((await call(app, 'DELETE', url)).statusCode, 401);

    const deleted = await call(app, 'DELETE', url, { token: author.token });
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    assert.equal((await call(app, 'GET', url)).statusCode, 404);
    const again = await call(app, 'DELETE', url, { token: author.token });
    assert.equal(again.statusCode, 404);
    assert.deepEqual(again.json(), { errors: { article: ['not found'] } });
  });
});

describe('favorites', () => {
  test('favorite and unfavorite are idempotent; favoritesCount counts each user once', async () => {
    const [author, a, b] = [await registerUser(app), await registerUser(app), await registerUser(app)];
    const { slug } = await createArticle(app, author);
    const url = `/api/articles/${slug}/favorite`;
    for (const expected of [1, 1]) {
      const res = await call(app, 'POST', url, { token: a.token });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().article.favorited, true);
      assert.equal(res.json().article.favoritesCount, expected);
    }
    assert.equal((await call(app, 'POST', url, { token: b.token })).json().article.favoritesCount, 2);
    for (const expected of [1, 1]) {
      const res = await call(app, 'DELETE', url, { token: a.token });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().article.favorited, false);
      assert.equal(res.json().article.favoritesCount, expected);
    }
    const seenByB = (await call(app, 'GET', `/api/articles/${slug}`, { token: b.token })).json().article;
    assert.equal(seenByB.favorited, true);
    assert.equal(seenByB.favoritesCount, 1);
  });

  test('concurrent toggles count once per user', async () => {
    const [author, fan] = [await registerUser(app), await registerUser(app)];
    const others = await Promise.all([registerUser(app), registerUser(app), registerUser(app)]);
    const { slug } = await createArticle(app, author);
    const url = `/api/articles/${slug}/favorite`;
    await Promise.all(Array.from({ length: 5 }, () => call(app, 'POST', url, { token: fan.token })));
    await Promise.all(others.map((user) => call(app, 'POST', url, { token: user.token })));
    assert.equal((await call(app, 'GET', `/api/articles/${slug}`)).json().article.favoritesCount, 4);
    await Promise.all(Array.from({ length: 5 }, () => call(app, 'DELETE', url, { token: fan.token })));
    assert.equal((await call(app, 'GET', `/api/articles/${slug}`)).json().article.favoritesCount, 3);
  });

  test('401 anonymous, 404 unknown article', async () => {
    const user = await registerUser(app);
    for (const method of ['POST', 'DELETE'] as const) {
      assert.equal((await call(app, method, '/api/articles/anything/favorite')).statusCode, 401);
      const missing = await call(app, method, `/api/articles/missing-${uid()}/favorite`, { token: user.token });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json(), { errors: { article: ['not found'] } });
    }
  });
});
