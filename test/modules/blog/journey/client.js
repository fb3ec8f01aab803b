// A RealWorld ("Conduit") user's journey, run in the browser against the API named by `?api=`.
//
// It speaks HTTP the way widely used RealWorld frontends do, in the two ways browsers offer:
// - `fetch`, as the Vue 3 frontend's generated API client: `Content-Type: application/json` on
//   every request, and a body only when the call has one (favorite, follow are bodiless POSTs);
// - `XMLHttpRequest`, as Angular's HttpClient in the Angular frontend: the same header on every
//   request, `JSON.stringify(body ?? {})` on POST and PUT, no body on DELETE.
// Each step checks what the page would read from the answer, and a failed one says why.

const API = new URL(location.href).searchParams.get('api');
const JSON_TYPE = 'application/json';

function viaFetch(method, path, token, body) {
  const headers = { 'content-type': JSON_TYPE };
  if (token) headers.authorization = `Token ${token}`;
  const init = { method, headers };
  if (body !== undefined) init.body = JSON.stringify(body);
  return fetch(`${API}${path}`, init).then(async (res) => ({
    status: res.status,
    body: res.status === 204 ? null : await res.json(),
  }));
}

function viaXhr(method, path, token, body) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, `${API}${path}`);
    xhr.setRequestHeader('Content-Type', JSON_TYPE);
    xhr.setRequestHeader('Accept', JSON_TYPE);
    if (token) xhr.setRequestHeader('Authorization', `Token ${token}`);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText ? JSON.parse(xhr.responseText) : null });
    xhr.onerror = () => reject(new Error(`${method} ${path}: network error`));
    xhr.send(method === 'POST' || method === 'PUT' ? JSON.stringify(body ?? {}) : null);
  });
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

window.journey = async (transport, { suffix, seededAuthor, seededTag }) => {
  const send = transport === 'xhr' ? viaXhr : viaFetch;
  const steps = [];
  const step = async (name, method, path, token, body, check) => {
    let res;
    try {
      res = await send(method, path, token, body);
      check(res);
    } catch (error) {
      // Like a person, carry on with the next step: the answers say how many fail, not only the first.
      steps.push({ name, status: res?.status, ok: false, why: `${error.message}: ${JSON.stringify(res?.body)}` });
      return res?.body;
    }
    steps.push({ name, status: res.status, ok: true });
    return res.body;
  };
  const is = (status) => (res) => expect(res.status === status, `status ${res.status}, expected ${status}`);

  try {
    const author = { username: `author${suffix}`, email: `author${suffix}@example.com`, password: 'password123' };
    const reader = { username: `reader${suffix}`, email: `reader${suffix}@example.com`, password: 'password123' };
    const signedUp = await step('sign up', 'POST', '/users', null, { user: author }, is(201));
    const authorToken = signedUp.user.token;
    await step('sign up (a second user)', 'POST', '/users', null, { user: reader }, is(201));
    const loggedIn = await step('log in', 'POST', '/users/login', null, { user: reader }, is(200));
    const token = loggedIn.user.token;
    await step('current user', 'GET', '/user', token, undefined, (res) => {
      is(200)(res);
      expect(res.body.user.username === reader.username, 'another user');
    });
    await step('settings', 'PUT', '/user', token, { user: { bio: 'I read', image: null } }, (res) => {
      is(200)(res);
      expect(res.body.user.bio === 'I read', 'bio not saved');
    });

    const article = { title: `Journey ${suffix}`, description: 'On foot', body: 'A *long* way', tagList: ['travel'] };
    const published = await step('publish', 'POST', '/articles', authorToken, { article }, (res) => {
      is(201)(res);
      expect(res.body.article.tagList.includes('travel'), 'tags lost');
    });
    const slug = published.article.slug;
    await step('edit', 'PUT', `/articles/${slug}`, authorToken, { article: { body: 'A *longer* way' } }, (res) => {
      is(200)(res);
      expect(res.body.article.body === 'A *longer* way', 'edit not saved');
    });
    await step('read the article', 'GET', `/articles/${slug}`, token, undefined, is(200));
    await step('global feed, page 1', 'GET', '/articles?limit=10&offset=0', token, undefined, (res) => {
      is(200)(res);
      expect(res.body.articles.length === 10 && res.body.articlesCount >= 12, 'a page of 10 of every article');
    });
    await step('global feed, page 2', 'GET', '/articles?limit=10&offset=10', token, undefined, (res) => {
      is(200)(res);
      expect(res.body.articles.length === res.body.articlesCount - 10, 'the rest');
    });
    await step('popular tags', 'GET', '/tags', null, undefined, (res) => {
      is(200)(res);
      expect(res.body.tags.includes(seededTag), 'a tag is missing');
    });
    await step('articles by tag', 'GET', `/articles?tag=${seededTag}&limit=10&offset=0`, token, undefined, (res) => {
      is(200)(res);
      expect(
        res.body.articles.every((a) => a.author.username === seededAuthor),
        'another tag’s article',
      );
    });
    await step('profile', 'GET', `/profiles/${author.username}`, token, undefined, is(200));
    await step('follow', 'POST', `/profiles/${author.username}/follow`, token, undefined, (res) => {
      is(200)(res);
      expect(res.body.profile.following === true, 'not following');
    });
    await step('your feed', 'GET', '/articles/feed?limit=10&offset=0', token, undefined, (res) => {
      is(200)(res);
      expect(
        res.body.articles.some((a) => a.slug === slug),
        'the followed author’s article is missing',
      );
    });
    await step('unfollow', 'DELETE', `/profiles/${author.username}/follow`, token, undefined, (res) => {
      is(200)(res);
      expect(res.body.profile.following === false, 'still following');
    });
    await step('favorite', 'POST', `/articles/${slug}/favorite`, token, undefined, (res) => {
      is(200)(res);
      expect(res.body.article.favorited && res.body.article.favoritesCount === 1, 'not favorited');
    });
    await step('unfavorite', 'DELETE', `/articles/${slug}/favorite`, token, undefined, (res) => {
      is(200)(res);
      expect(!res.body.article.favorited && res.body.article.favoritesCount === 0, 'still favorited');
    });
    const commented = await step(
      'comment',
      'POST',
      `/articles/${slug}/comments`,
      token,
      { comment: { body: 'Hi' } },
      is(201),
    );
    await step('comments', 'GET', `/articles/${slug}/comments`, token, undefined, (res) => {
      is(200)(res);
      expect(res.body.comments.length === 1, 'the comment is missing');
    });
    const commentId = commented.comment.id;
    await step('delete comment', 'DELETE', `/articles/${slug}/comments/${commentId}`, token, undefined, is(204));
    await step('delete article', 'DELETE', `/articles/${slug}`, authorToken, undefined, is(204));
    await step('the article is gone', 'GET', `/articles/${slug}`, token, undefined, is(404));
  } catch (error) {
    // A step whose answer the next ones need failed: the journey cannot go on.
    steps.push({ name: 'the journey stopped', ok: false, why: error.message });
  }
  return steps;
};

document.querySelector('#status').textContent = 'ready';
