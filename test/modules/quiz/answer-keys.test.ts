import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { as, createUser } from '../../helpers/users.ts';
import { ANSWER_KEY_FIELDS, createQuiz, keysIn, QUESTIONS } from './fixtures.ts';

/**
 * No answer key reaches a student before the review policy allows: every question type's player
 * payload is walked, key by key, before and after submission. (Live games: games-keys.test.ts.)
 */

const app: FastifyInstance = await buildTestApp();
const owner = await createUser(app, 'author');
const student = await createUser(app, 'student');
const call = as(app, student);

function assertNoKey(payload: unknown, where: string) {
  const items = (payload as { items: Array<{ question: unknown; review: unknown }> }).items;
  for (const item of items) {
    const found = ANSWER_KEY_FIELDS.filter((field) => keysIn(item.question).has(field));
    assert.deepEqual(found, [], `${where}: ${JSON.stringify(item.question)}`);
    assert.equal(item.review, null, where);
  }
}

describe('answer keys in attempts', () => {
  it('no type’s player payload carries a key: on start, on reading, on answering, after submitting under `never`', async () => {
    const quiz = await createQuiz(app, owner, { settings: { review: 'never', shuffleOptions: true } });
    const started = await call('POST', `/api/quizzes/${quiz.id}/attempts`);
    const attempt = started.json();
    assert.deepEqual(
      new Set(attempt.items.map((item: { question: { type: string } }) => item.question.type)),
      new Set(Object.keys(QUESTIONS)),
    );
    assertNoKey(attempt, 'start');
    assertNoKey((await call('GET', `/api/attempts/${attempt.id}`)).json(), 'read');
    const saved = await call('PUT', `/api/attempts/${attempt.id}/answers/${quiz.questionIds[0]}`, { optionId: 'b' });
    assertNoKey(saved.json(), 'answer');
    assertNoKey((await call('POST', `/api/attempts/${attempt.id}/submit`)).json(), 'submitted, review never');
  });

  it('ordering items are shown shuffled by the attempt’s seed (their stored order is the key)', async () => {
    const quiz = await createQuiz(app, owner, { questions: [QUESTIONS.ordering], settings: { maxAttempts: 50 } });
    const right = QUESTIONS.ordering.items.map((item) => item.id).join();
    let differs = 0;
    for (let i = 0; i < 6; i++) {
      const attempt = (await call('POST', `/api/quizzes/${quiz.id}/attempts`)).json();
      if (attempt.items[0].question.items.map((item: { id: string }) => item.id).join() !== right) differs += 1;
      await call('POST', `/api/attempts/${attempt.id}/submit`);
    }
    // Each attempt shows 1 of 24 orders: six in the right order would mean no shuffle at all.
    assert.ok(differs > 0);
  });
});
