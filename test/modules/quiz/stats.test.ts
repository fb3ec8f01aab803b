import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../../helpers/users.ts';
import { createQuiz, QUESTIONS } from './fixtures.ts';
import { advance, answer, hostGame, join } from './game-helpers.ts';

/**
 * Statistics on a known data set. Four students, three one-point questions, right (1) or wrong (0):
 *
 *            Q1  Q2  Q3  total
 *   s1        1   1   1   3
 *   s2        1   1   0   2
 *   s3        0   1   0   1
 *   s4        0   0   0   0
 *
 * Facility: Q1 2/4 = 0.5, Q2 3/4 = 0.75, Q3 1/4 = 0.25.
 * Discrimination (r of the item with the total of the other two):
 *   Q1: x = (1,1,0,0), rest = (2,1,1,0): cov 1, Σdx² 1, Σdy² 2 → 1/√2 = 0.7071
 *   Q2: x = (1,1,1,0), rest = (2,1,0,0): cov 0.75, Σdx² 0.75, Σdy² 2.75 → 0.75/√2.0625 = 0.5222
 *   Q3: x = (1,0,0,0), rest = (2,2,1,0): cov 0.75, Σdx² 0.75, Σdy² 2.75 → 0.5222
 * Scores 100, 66.67, 33.33, 0 %: mean 50, median 50.
 */

const round4 = (value: number) => Math.round(value * 1e4) / 1e4;
const app: FastifyInstance = await buildTestApp();
const owner = await createUser(app, 'author');
const q1 = { ...QUESTIONS.single, points: 1 };
const q2 = QUESTIONS.true_false;
const q3 = { ...QUESTIONS.single, points: 1, prompt: 'Again: capital of France?' };
const quiz = await createQuiz(app, owner, { questions: [q1, q2, q3] });
const [Q1, Q2, Q3] = quiz.questionIds as [string, string, string];

// What each student answers: Q1 option, Q2 value, Q3 option.
const DATA: Array<[string, boolean, string]> = [
  ['b', true, 'b'],
  ['b', true, 'a'],
  ['a', true, 'c'],
  ['c', false, 'a'],
];

describe('quiz statistics', () => {
  it('attempts: facility, discrimination, options, score distribution, by hand', async () => {
    for (const [one, two, three] of DATA) {
      const student = as(app, await createUser(app, 'student'));
      const attempt = (await student('POST', `/api/quizzes/${quiz.id}/attempts`)).json().id;
      await student('PUT', `/api/attempts/${attempt}/answers/${Q1}`, { optionId: one });
      await student('PUT', `/api/attempts/${attempt}/answers/${Q2}`, { value: two });
      await student('PUT', `/api/attempts/${attempt}/answers/${Q3}`, { optionId: three });
      assert.equal((await student('POST', `/api/attempts/${attempt}/submit`)).statusCode, 200);
    }
    const res = await as(app, owner)('GET', `/api/quizzes/${quiz.id}/stats`);
    assert.equal(res.statusCode, 200, res.body);
    const { attempts } = res.json();
    assert.equal(attempts.scores.count, 4);
    assert.equal(attempts.scores.mean, 50);
    assert.equal(attempts.scores.median, 50);
    assert.deepEqual(
      attempts.scores.histogram.map((bin: { count: number }) => bin.count),
      [1, 0, 0, 1, 0, 0, 1, 0, 0, 1],
    );
    const byId = Object.fromEntries(attempts.questions.map((q: { questionId: string }) => [q.questionId, q]));
    assert.deepEqual(
      [Q1, Q2, Q3].map((id) => [byId[id].facility, byId[id].discrimination]),
      [
        [0.5, round4(1 / Math.sqrt(2))],
        [0.75, 0.5222],
        [0.25, 0.5222],
      ],
    );
    assert.deepEqual(byId[Q1].options, { a: 1, b: 2, c: 1 });
    assert.deepEqual(byId[Q2].options, { true: 3, false: 1 });
    assert.equal(byId[Q1].asked, 4);
    assert.equal(byId[Q1].prompt, q1.prompt);
    assert.equal(byId[Q1].medianTimeMs, null);
  });

  it('games: the same figures from a live game, with the median answer time', async () => {
    const game = await hostGame(app, owner, quiz.id, { readSeconds: 0, answerSeconds: 60, speedScoring: false });
    const players = [];
    for (const [i] of DATA.entries()) players.push(await join(app, game.code, `P${i}`));
    for (let index = 0; index < 3; index++) {
      await advance(app, owner, game.id, 'answering');
      for (const [i, row] of DATA.entries()) {
        const value = index === 1 ? { value: row[1] } : { optionId: row[index === 0 ? 0 : 2] };
        assert.equal((await answer(app, players[i] as (typeof players)[0], index, value)).statusCode, 201);
      }
      await advance(app, owner, game.id, 'leaderboard');
    }
    const { games } = (await as(app, owner)('GET', `/api/quizzes/${quiz.id}/stats`)).json();
    const byId = Object.fromEntries(games.questions.map((q: { questionId: string }) => [q.questionId, q]));
    assert.deepEqual(
      [Q1, Q2, Q3].map((id) => [byId[id].facility, byId[id].discrimination]),
      [
        [0.5, round4(1 / Math.sqrt(2))],
        [0.75, 0.5222],
        [0.25, 0.5222],
      ],
    );
    assert.equal(games.scores.count, 4);
    assert.equal(games.scores.median, 1500);
    assert.ok(typeof byId[Q1].medianTimeMs === 'number' && byId[Q1].medianTimeMs >= 0);
  });

  it('only the owner sees statistics (404 for anyone else)', async () => {
    const other = await createUser(app, 'other');
    assertProblem(await as(app, other)('GET', `/api/quizzes/${quiz.id}/stats`), 404, 'QUIZ_NOT_FOUND');
    assertProblem(await as(app, null)('GET', `/api/quizzes/${quiz.id}/stats`), 401, 'UNAUTHORIZED');
  });
});
