import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf, type TestUser } from '../../helpers/users.ts';
import { createQuiz, QUESTIONS } from './fixtures.ts';

const app: FastifyInstance = await buildTestApp();
const owner: TestUser = await createUser(app, 'author');
const other: TestUser = await createUser(app, 'student');

describe('quizzes', () => {
  it('creates a draft, lists it, publishes it once it has questions', async () => {
    const call = as(app, owner);
    const res = await call('POST', '/api/quizzes', { title: 'Capitals', timeLimitSeconds: 600, grading: 'last' });
    assert.equal(res.statusCode, 201, res.body);
    const quiz = res.json();
    assert.equal(res.headers.location, `/api/quizzes/${quiz.id}`);
    assert.deepEqual(
      { ...quiz, id: undefined, ownerId: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        ownerId: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        title: 'Capitals',
        description: '',
        status: 'draft',
        timeLimitSeconds: 600,
        opensAt: null,
        closesAt: null,
        maxAttempts: null,
        grading: 'last',
        review: 'after_submit',
        shuffleQuestions: false,
        shuffleOptions: false,
        draw: null,
        questionCount: 0,
        version: 1,
      },
    );
    assertProblem(await call('PATCH', `/api/quizzes/${quiz.id}`, { status: 'published' }), 409, 'QUIZ_EMPTY');
    const added = await call('POST', `/api/quizzes/${quiz.id}/questions`, { question: QUESTIONS.single });
    assert.equal(added.statusCode, 201, added.body);
    const published = await call('PATCH', `/api/quizzes/${quiz.id}`, { status: 'published' });
    assert.equal(published.statusCode, 200);
    assert.equal(published.json().status, 'published');
    assert.equal(published.json().questionCount, 1);
    const list = await call('GET', '/api/quizzes?limit=1');
    assert.equal(list.json().items[0].id, quiz.id);
  });

  it('shows a published quiz to anyone signed in, a draft only to its owner (404)', async () => {
    const draft = await createQuiz(app, owner, { draft: true, questions: [QUESTIONS.single] });
    const published = await createQuiz(app, owner, { questions: [QUESTIONS.single] });
    assertProblem(await as(app, other)('GET', `/api/quizzes/${draft.id}`), 404, 'QUIZ_NOT_FOUND');
    assert.equal((await as(app, other)('GET', `/api/quizzes/${published.id}`)).statusCode, 200);
    // Another user's quiz cannot be changed, nor its questions (with their keys) read.
    assertProblem(await as(app, other)('PATCH', `/api/quizzes/${published.id}`, { title: 'x' }), 404, 'QUIZ_NOT_FOUND');
    assertProblem(await as(app, other)('GET', `/api/quizzes/${published.id}/questions`), 404, 'QUIZ_NOT_FOUND');
    assertProblem(await as(app, other)('DELETE', `/api/quizzes/${published.id}`), 404, 'QUIZ_NOT_FOUND');
  });

  it('refuses bad settings with field errors (422) and anonymous callers (401)', async () => {
    const call = as(app, owner);
    const bad = await call('POST', '/api/quizzes', { title: '', grading: 'best', timeLimitSeconds: -5 });
    assertProblem(bad, 422, 'VALIDATION_FAILED');
    // A nullable field reports each branch it failed (the integer and the null): one field, named once here.
    assert.deepEqual([...new Set(fieldsOf(bad))].sort(), ['body.grading', 'body.timeLimitSeconds', 'body.title']);
    const window = await call('POST', '/api/quizzes', {
      title: 'x',
      opensAt: '2030-01-02T00:00:00.000Z',
      closesAt: '2030-01-01T00:00:00.000Z',
    });
    assert.deepEqual(fieldsOf(window), ['body.closesAt']);
    assertProblem(await as(app, null)('GET', '/api/quizzes'), 401, 'UNAUTHORIZED');
  });

  it('deletes a quiz', async () => {
    const quiz = await createQuiz(app, owner, { questions: [QUESTIONS.single] });
    assert.equal((await as(app, owner)('DELETE', `/api/quizzes/${quiz.id}`)).statusCode, 204);
    assertProblem(await as(app, owner)('GET', `/api/quizzes/${quiz.id}`), 404, 'QUIZ_NOT_FOUND');
  });
});
