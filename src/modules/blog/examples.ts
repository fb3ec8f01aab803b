/**
 * The example values the OpenAPI document shows for the blog's main operations, in RealWorld's
 * wrapped shapes (`{"user": …}`, `{"article": …}`): Jake publishes, Ada reads and comments. A test
 * checks each against its schema and sends each request example to its route.
 */

// Shortened: a real token is an EdDSA JWT of about 330 characters.
const TOKEN = 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJlMTU3ZTA2YS1lYzM3In0.TiB0btfWRNe9qMl9z8-7fa6i';

const jake = {
  username: 'jake',
  bio: 'I work at statefarm',
  image: 'https://api.realworld.io/images/smiley-cyrus.jpeg',
};
const author = { ...jake, following: false };

export const registration = {
  user: { username: 'jake', email: 'jake@example.com', password: 'jake likes long passwords' },
};
export const login = { user: { email: 'jake@example.com', password: 'jake likes long passwords' } };
export const userChange = { user: { bio: jake.bio, image: jake.image } };
export const user = { user: { email: 'jake@example.com', token: TOKEN, ...jake } };

export const profile = { profile: author };

const summary = {
  slug: 'how-to-train-your-dragon',
  title: 'How to train your dragon',
  description: 'Ever wonder how?',
  tagList: ['dragons', 'training'],
  createdAt: '2026-12-01T09:30:00.000Z',
  updatedAt: '2026-12-01T09:30:00.000Z',
  favorited: false,
  favoritesCount: 0,
  author,
};

export const newArticle = {
  article: {
    title: summary.title,
    description: summary.description,
    body: 'You have to believe',
    tagList: summary.tagList,
  },
};
export const articleChange = { article: { body: 'You have to believe, and to practise' } };
export const article = { article: { ...summary, body: 'You have to believe' } };
export const articles = { articles: [summary], articlesCount: 1 };

export const newComment = { comment: { body: 'Thank you so much!' } };
const comment = {
  id: 1,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  body: newComment.comment.body,
  author: { username: 'ada', bio: null, image: null, following: true },
};
export const singleComment = { comment };
export const comments = { comments: [comment] };

export const tags = { tags: ['dragons', 'training'] };
