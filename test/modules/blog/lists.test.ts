import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { call, createArticle, registerUser, type TestUser, uid } from './helpers.ts';

const app = await buildTestApp({ AUTH_PASSWORD_SCREEN: 'off' });

async function list(query: string, token?: string) {
  const res = await call(app, 'GET', `/api/articles${query}`, token ? { token } : {});
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { articles: Array<Record<string, unknown> & { slug: string }>; articlesCount: number };
}

async function writeArticles(author: TestUser, count: number, tagList: string[] = []) {
  const slugs: string[] = [];
  for (let i = 0; i < count; i++) slugs.push((await createArticle(app, author, { tagList })).slug);
  return slugs.reverse(); // newest first, as lists return them
}

describe('GET /api/articles', () => {
  test('newest first, without body, counted exactly; the count follows creates and deletes', async () => {
    const before = (await list('')).articlesCount;
    const author = await registerUser(app);
    const slugs = await writeArticles(author, 2);
    const page = await list('?limit=2');
    assert.equal(page.articlesCount, before + 2);
    assert.deepEqual(
      page.articles.map((a) => a.slug),
      slugs,
    );
    const item = page.articles[0] as Record<string, unknown>;
    assert.equal('body' in item, false);
    assert.deepEqual(Object.keys(item).sort(), [
      'author',
      'createdAt',
      'description',
      'favorited',
      'favoritesCount',
      'slug',
      'tagList',
      'title',
      'updatedAt',
    ]);
    await call(app, 'DELETE', `/api/articles/${slugs[0]}`, { token: author.token });
    assert.equal((await list('')).articlesCount, before + 1);
  });

  test('?author= (any case), ?tag= and ?favorited= filter with exact counts; unknown values give none', async () => {
    const [author, other, fan] = [await registerUser(app), await registerUser(app), await registerUser(app)];
    const tag = `tag${uid()}`;
    const mine = await writeArticles(author, 3, [tag]);
    const theirs = await writeArticles(other, 1, [tag]);
    await call(app, 'POST', `/api/articles/${mine[1]}/favorite`, { token: fan.token });
    await call(app, 'POST', `/api/articles/${theirs[0]}/favorite`, { token: fan.token });

    const byAuthor = await list(`?author=${author.username.toUpperCase()}`);
    assert.equal(byAuthor.articlesCount, 3);
    assert.deepEqual(
      byAuthor.articles.map((a) => a.slug),
      mine,
    );
    const byTag = await list(`?tag=${tag}`);
    assert.equal(byTag.articlesCount, 4);
    assert.deepEqual(
      byTag.articles.map((a) => a.slug),
      [...theirs, ...mine],
    );
    const byFavorite = await list(`?favorited=${fan.username}`, fan.token);
    assert.equal(byFavorite.articlesCount, 2);
    assert.deepEqual(
      byFavorite.articles.map((a) => [a.slug, a.favorited]),
      [
        [theirs[0], true],
        [mine[1], true],
      ],
    );
    const combined = await list(`?tag=${tag}&author=${author.username}&favorited=${fan.username}`);
    assert.equal(combined.articlesCount, 1);
    assert.deepEqual(
      combined.articles.map((a) => a.slug),
      [mine[1]],
    );
    for (const query of [`?author=nobody${uid()}`, `?tag=none${uid()}`, `?favorited=nobody${uid()}`]) {
      assert.deepEqual(await list(query), { articles: [], articlesCount: 0 });
    }
  });

  test('pagination: limit and offset, offset past the end, default limit 20', async () => {
    const author = await registerUser(app);
    const slugs = await writeArticles(author, 21);
    const q = `?author=${author.username}`;
    assert.deepEqual(
      (await list(`${q}&limit=2`)).articles.map((a) => a.slug),
      slugs.slice(0, 2),
    );
    assert.deepEqual(
      (await list(`${q}&limit=2&offset=2`)).articles.map((a) => a.slug),
      slugs.slice(2, 4),
    );
    assert.deepEqual(
      (await list(`${q}&limit=5&offset=19`)).articles.map((a) => a.slug),
      slugs.slice(19),
    );
    assert.deepEqual(await list(`${q}&offset=21`), { articles: [], articlesCount: 21 });
    assert.deepEqual(await list(`${q}&offset=5000`), { articles: [], articlesCount: 21 });
    const firstPage = await list(q);
    assert.equal(firstPage.articles.length, 20);
    assert.equal(firstPage.articlesCount, 21);
    assert.equal((await list(`${q}&limit=100`)).articles.length, 21);
  });

  test('422 for limit outside 1..100, a non-numeric limit, or a negative offset', async () => {
    const cases: Array<[string, Record<string, string[]>]> = [
      ['?limit=0', { limit: ['must be at least 1'] }],
      ['?limit=101', { limit: ['must be at most 100'] }],
      ['?limit=abc', { limit: ['is invalid'] }],
      ['?offset=-1', { offset: ['must be at least 0'] }],
    ];
    for (const [query, errors] of cases) {
      const res = await call(app, 'GET', `/api/articles${query}`);
      assert.equal(res.statusCode, 422, query);
      assert.deepEqual(res.json(), { errors }, query);
    }
  });

  test('401 for a presented but invalid token (auth is optional, not ignored)', async () => {
    const res = await call(app, 'GET', '/api/articles', { token: 'garbage' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { errors: { token: ['is invalid'] } });
  });
});

describe('GET /api/articles/feed', () => {
  test('only followed authors, newest first, counted exactly, paginated', async () => {
    const [reader, a, b, stranger] = [
      await registerUser(app),
      await registerUser(app),
      await registerUser(app),
      await registerUser(app),
    ];
    const empty = await call(app, 'GET', '/api/articles/feed', { token: reader.token });
    assert.equal(empty.statusCode, 200);
    assert.deepEqual(empty.json(), { articles: [], articlesCount: 0 });

    const fromA = await writeArticles(a, 2);
    const fromB = await writeArticles(b, 2);
    await writeArticles(stranger, 1);
    await call(app, 'POST', `/api/profiles/${a.username}/follow`, { token: reader.token });
    await call(app, 'POST', `/api/profiles/${b.username}/follow`, { token: reader.token });

    const feed = (await call(app, 'GET', '/api/articles/feed', { token: reader.token })).json();
    assert.equal(feed.articlesCount, 4);
    assert.deepEqual(
      feed.articles.map((x: { slug: string }) => x.slug),
      [...fromB, ...fromA],
    );
    assert.ok(feed.articles.every((x: { author: { following: boolean } }) => x.author.following));
    const page = (await call(app, 'GET', '/api/articles/feed?limit=2&offset=1', { token: reader.token })).json();
    assert.deepEqual(
      page.articles.map((x: { slug: string }) => x.slug),
      [fromB[1], fromA[0]],
    );
    const past = (await call(app, 'GET', '/api/articles/feed?offset=10', { token: reader.token })).json();
    assert.deepEqual(past, { articles: [], articlesCount: 4 });

    await call(app, 'DELETE', `/api/profiles/${b.username}/follow`, { token: reader.token });
    assert.equal((await call(app, 'GET', '/api/articles/feed', { token: reader.token })).json().articlesCount, 2);
  });

  test('401 without a token, 422 for a bad limit', async () => {
    const anonymous = await call(app, 'GET', '/api/articles/feed');
    assert.equal(anonymous.statusCode, 401);
    assert.deepEqual(anonymous.json(), { errors: { token: ['is missing'] } });
    const user = await registerUser(app);
    const bad = await call(app, 'GET', '/api/articles/feed?limit=500', { token: user.token });
    assert.equal(bad.statusCode, 422);
  });
});

describe('counters', () => {
  test('stay exact when a user is deleted and the database cascades their rows away', async () => {
    const [author, leaver] = [await registerUser(app), await registerUser(app)];
    const tag = `gone${uid()}`;
    const [kept] = await writeArticles(author, 1, [tag]);
    await writeArticles(leaver, 2, [tag]);
    await call(app, 'POST', `/api/articles/${kept}/favorite`, { token: leaver.token });
    const before = (await list('')).articlesCount;
    assert.equal((await list(`?tag=${tag}`)).articlesCount, 3);

    // Accounts are deleted by the auth module; here the row goes directly, cascades and all.
    await app.db.deleteFrom('users').where('username', '=', leaver.username).execute();

    assert.equal((await list('')).articlesCount, before - 2);
    assert.equal((await list(`?tag=${tag}`)).articlesCount, 1);
    const article = (await call(app, 'GET', `/api/articles/${kept}`)).json().article;
    assert.equal(article.favoritesCount, 0);
  });
});

describe('GET /api/tags', () => {
  test('tags in use, most used first; a tag no article uses any more disappears', async () => {
    const author = await registerUser(app);
    const [popular, rare] = [`pop${uid()}`, `rare${uid()}`];
    await writeArticles(author, 3, [popular]);
    const [rareSlug] = await writeArticles(author, 1, [rare]);
    const res = await call(app, 'GET', '/api/tags');
    assert.equal(res.statusCode, 200);
    const { tags } = res.json() as { tags: string[] };
    assert.ok(tags.indexOf(popular) >= 0 && tags.indexOf(popular) < tags.indexOf(rare), tags.join());

    await call(app, 'DELETE', `/api/articles/${rareSlug}`, { token: author.token });
    assert.equal((await call(app, 'GET', '/api/tags')).json().tags.includes(rare), false);
  });
});
