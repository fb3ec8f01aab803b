import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../../helpers/users.ts';
import { createQuiz, QUESTIONS, type QuestionKey } from './fixtures.ts';

/** Scoring of every question type, through real attempts: answer, submit, read the marks. */

const app: FastifyInstance = await buildTestApp();
const owner = await createUser(app, 'author');
const student = await createUser(app, 'student');
const call = as(app, student);

const quizzes = new Map<string, { id: string; questionId: string }>();
async function quizFor(key: QuestionKey, override: Record<string, unknown> = {}) {
  const name = `${key}:${JSON.stringify(override)}`;
  let quiz = quizzes.get(name);
  if (!quiz) {
    const created = await createQuiz(app, owner, {
      questions: [{ question: { ...QUESTIONS[key], ...override }, weight: 2 }],
    });
    quiz = { id: created.id, questionId: created.questionIds[0] as string };
    quizzes.set(name, quiz);
  }
  return quiz;
}

/** The fraction and marks one answer earns. */
async function score(key: QuestionKey, answer: unknown, override: Record<string, unknown> = {}) {
  const quiz = await quizFor(key, override);
  const started = await call('POST', `/api/quizzes/${quiz.id}/attempts`);
  assert.equal(started.statusCode, 201, started.body);
  const attempt = started.json().id;
  const saved = await call('PUT', `/api/attempts/${attempt}/answers/${quiz.questionId}`, answer);
  assert.equal(saved.statusCode, 200, saved.body);
  const submitted = (await call('POST', `/api/attempts/${attempt}/submit`)).json();
  const item = submitted.items[0];
  return { fraction: item.fraction, marks: item.marks, score: submitted.score, maxScore: submitted.maxScore };
}
const fraction = async (key: QuestionKey, answer: unknown, override?: Record<string, unknown>) =>
  (await score(key, answer, override)).fraction;

describe('scoring', () => {
  it('single choice: right or wrong; marks are points × weight × fraction', async () => {
    assert.deepEqual(await score('single', { optionId: 'b' }), { fraction: 1, marks: 4, score: 4, maxScore: 4 });
    assert.deepEqual(await score('single', { optionId: 'a' }), { fraction: 0, marks: 0, score: 0, maxScore: 4 });
  });

  it('multiple choice: fractions add up, wrong options subtract, the total is clamped to 0–1', async () => {
    assert.equal(await fraction('multiple', { optionIds: ['p2', 'p3'] }), 1);
    assert.equal(await fraction('multiple', { optionIds: ['p2'] }), 0.5);
    assert.equal(await fraction('multiple', { optionIds: ['p2', 'p3', 'n4'] }), 0.5);
    assert.equal(await fraction('multiple', { optionIds: ['p2', 'n6'] }), 0);
    assert.equal(await fraction('multiple', { optionIds: [] }), 0);
  });

  it('true/false', async () => {
    assert.equal(await fraction('true_false', { value: true }), 1);
    assert.equal(await fraction('true_false', { value: false }), 0);
  });

  it('short text: case, spacing and accents are normalised unless exact', async () => {
    assert.equal(await fraction('short_text', { text: '  élysée   PALACE ' }), 1);
    assert.equal(await fraction('short_text', { text: 'ELYSÉE' }), 1);
    assert.equal(await fraction('short_text', { text: 'Elysees' }), 0);
    const exact = { exact: true };
    assert.equal(await fraction('short_text', { text: 'Élysée Palace' }, exact), 1);
    assert.equal(await fraction('short_text', { text: 'élysée palace' }, exact), 0);
  });

  it('numeric: full credit within the tolerance, then linear closeness, else nothing', async () => {
    assert.equal(await fraction('numeric', { value: 3.14 }), 1);
    assert.equal(await fraction('numeric', { value: 3.15 }), 1);
    assert.equal(await fraction('numeric', { value: 3.2 }), 0.5);
    assert.equal(await fraction('numeric', { value: 3.3 }), 0);
    assert.equal(await fraction('numeric', { value: 3.2 }, { closeness: null }), 0);
  });

  it('ordering: the share of items in place', async () => {
    assert.equal(await fraction('ordering', { order: ['mouse', 'cat', 'horse', 'whale'] }), 1);
    assert.equal(await fraction('ordering', { order: ['mouse', 'cat', 'whale', 'horse'] }), 0.5);
    assert.equal(await fraction('ordering', { order: ['whale', 'horse', 'cat', 'mouse'] }), 0);
  });

  it('poll: no right answer, so never scored', async () => {
    const result = await score('poll', { optionId: 'red' });
    assert.equal(result.fraction, null);
    assert.equal(result.marks, 0);
  });
});

describe('answers that do not fit the question (422)', () => {
  it('refuses the wrong shape, an unknown option and an incomplete order', async () => {
    const cases: Array<[QuestionKey, unknown]> = [
      ['single', { optionIds: ['b'] }],
      ['single', { optionId: 'zz' }],
      ['multiple', { optionIds: ['p2', 'zz'] }],
      ['true_false', { text: 'yes' }],
      ['numeric', { value: true }],
      ['ordering', { order: ['mouse', 'cat'] }],
      ['short_text', { value: 1 }],
    ];
    for (const [key, answer] of cases) {
      const quiz = await quizFor(key);
      const attempt = (await call('POST', `/api/quizzes/${quiz.id}/attempts`)).json().id;
      assertProblem(
        await call('PUT', `/api/attempts/${attempt}/answers/${quiz.questionId}`, answer),
        422,
        'VALIDATION_FAILED',
      );
      await call('POST', `/api/attempts/${attempt}/submit`);
    }
  });
});
