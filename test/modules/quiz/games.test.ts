import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { gameDeadlineJob } from '../../../src/modules/quiz/games/driver.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../../helpers/users.ts';
import { createQuiz, QUESTIONS } from './fixtures.ts';
import { advance, answer, asPlayer, hostGame, join, stateOf } from './game-helpers.ts';

const app: FastifyInstance = await buildTestApp();
const host = await createUser(app, 'host');
const stranger = await createUser(app, 'stranger');
const quiz = await createQuiz(app, host, { questions: [QUESTIONS.single, QUESTIONS.true_false] });

describe('live games', () => {
  it('runs a game with a host and several players through every phase', async () => {
    const game = await hostGame(app, host, quiz.id, { readSeconds: 5, answerSeconds: 30 });
    assert.match(game.code, /^\d{6}$/);
    assert.equal(game.state, 'lobby');
    const [ann, bob, cy] = [
      await join(app, game.code, 'Ann'),
      await join(app, game.code, 'Bob'),
      await join(app, game.code, 'Cy'),
    ];
    assertProblem(
      await app.inject({ method: 'POST', url: '/api/games/join', payload: { code: game.code, nickname: 'ann' } }),
      409,
      'NICKNAME_TAKEN',
    );
    const unknown = game.code === '000000' ? '000001' : '000000';
    assertProblem(
      await app.inject({ method: 'POST', url: '/api/games/join', payload: { code: unknown, nickname: 'x' } }),
      404,
      'GAME_NOT_FOUND',
    );

    // Only the host advances: a player is refused (403), another user does not see the game (404).
    assertProblem(await asPlayer(app, ann)('POST', `/api/games/${game.id}/advance`), 403, 'HOST_ONLY');
    assertProblem(await as(app, stranger)('POST', `/api/games/${game.id}/advance`), 404, 'GAME_NOT_FOUND');
    assertProblem(await as(app, stranger)('GET', `/api/games/${game.id}/state`), 404, 'GAME_NOT_FOUND');
    // Out of phase: no answers in the lobby, nor while the question is being read.
    assertProblem(await answer(app, ann, 0, { optionId: 'b' }), 409, 'WRONG_PHASE');
    const reading = await advance(app, host, game.id, 'question');
    assert.equal(reading.questionIndex, 0);
    assertProblem(await answer(app, ann, 0, { optionId: 'b' }), 409, 'WRONG_PHASE');
    const view = await asPlayer(app, bob)('GET', `/api/games/${game.id}/state`);
    assert.equal(view.json().question.prompt, QUESTIONS.single.prompt);
    assert.equal(view.json().me.nickname, 'Bob');

    // The host cuts the read time short; answers are taken once each.
    await advance(app, host, game.id, 'answering');
    const first = await answer(app, ann, 0, { optionId: 'b' });
    assert.equal(first.statusCode, 201, first.body);
    assertProblem(await answer(app, ann, 0, { optionId: 'a' }), 409, 'ALREADY_ANSWERED');
    assertProblem(await answer(app, bob, 1, { value: true }), 409, 'WRONG_PHASE');
    assertProblem(await answer(app, bob, 0, { value: true }), 422, 'VALIDATION_FAILED');
    assert.equal((await answer(app, bob, 0, { optionId: 'a' })).statusCode, 201);
    // Cy sends the same answer five times at once: counted once. Everyone has answered: the reveal comes at once.
    const burst = await Promise.all(Array.from({ length: 5 }, () => answer(app, cy, 0, { optionId: 'b' })));
    assert.deepEqual(burst.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409]);
    const reveal = await stateOf(app, host, game.id);
    assert.equal(reveal.state, 'reveal');
    assert.deepEqual(reveal.reveal.distribution, { a: 1, b: 2 });
    assert.equal(reveal.reveal.answered, 3);
    assert.equal(reveal.reveal.question.options[1].correct, true);
    const annView = (await asPlayer(app, ann)('GET', `/api/games/${game.id}/state`)).json();
    assert.equal(annView.me.rank, 1);
    assert.ok(annView.me.lastPoints >= 1000 && annView.me.lastPoints <= 2000, String(annView.me.lastPoints));

    await advance(app, host, game.id, 'leaderboard');
    await advance(app, host, game.id, 'question');
    await advance(app, host, game.id, 'answering');
    assert.equal((await answer(app, bob, 1, { value: true })).statusCode, 201);
    // The host ends the answering early; Ann and Cy miss it.
    await advance(app, host, game.id, 'reveal');
    assertProblem(await answer(app, ann, 1, { value: true }), 409, 'WRONG_PHASE');
    await advance(app, host, game.id, 'leaderboard');
    const finished = await advance(app, host, game.id, 'finished');
    assert.ok(finished.finishedAt);
    assertProblem(await as(app, host)('POST', `/api/games/${game.id}/advance`), 409, 'WRONG_PHASE');
    // The code is free again once the game is over.
    assertProblem(
      await app.inject({ method: 'POST', url: '/api/games/join', payload: { code: game.code, nickname: 'Late' } }),
      404,
      'GAME_NOT_FOUND',
    );

    const results = (await as(app, host)('GET', `/api/games/${game.id}/results`)).json();
    assert.deepEqual(
      results.leaderboard.map((p: { nickname: string; correctCount: number }) => [p.nickname, p.correctCount]),
      [
        ['Ann', 1],
        ['Cy', 1],
        ['Bob', 1],
      ],
    );
    assert.equal(results.answers.length, 4);
    const csv = await as(app, host)('GET', `/api/games/${game.id}/results.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines[0], 'rank,nickname,score,correct,total_time_ms,q1_points,q2_points');
    assert.equal(lines.length, 4);
    assertProblem(await as(app, stranger)('GET', `/api/games/${game.id}/results`), 404, 'GAME_NOT_FOUND');
    assertProblem(await asPlayer(app, ann)('GET', `/api/games/${game.id}/results`), 401, 'UNAUTHORIZED');
  });

  it('refuses an answer after the deadline (server clock), and the deadline job ends the question', async () => {
    const game = await hostGame(app, host, quiz.id, { readSeconds: 0, answerSeconds: 60 });
    const [ann] = [await join(app, game.code, 'Ann'), await join(app, game.code, 'Bob')];
    const open = await advance(app, host, game.id, 'answering');
    await sql`update quiz_games set phase_ends_at = now() - interval '1 second' where id = ${game.id}`.execute(app.db);
    const late = assertProblem(await answer(app, ann, 0, { optionId: 'b' }), 409, 'DEADLINE_PASSED');
    assert.match(late.detail, /deadline/);
    const { phase_seq } = await app.db
      .selectFrom('quiz_games')
      .select('phase_seq')
      .where('id', '=', game.id)
      .executeTakeFirstOrThrow();
    await app.jobs.enqueue(app.db, gameDeadlineJob, { gameId: game.id, phaseSeq: phase_seq });
    await app.jobs.idle();
    const revealed = await stateOf(app, host, game.id);
    assert.equal(revealed.state, 'reveal');
    assert.equal(revealed.reveal.answered, 0);
    assert.equal(open.questionIndex, 0);
  });

  it('tie-break: equal points and right answers, then less total answer time ranks first', async () => {
    const game = await hostGame(app, host, quiz.id, { readSeconds: 0, answerSeconds: 60, speedScoring: false });
    const slow = await join(app, game.code, 'Slow');
    const fast = await join(app, game.code, 'Fast');
    await advance(app, host, game.id, 'answering');
    assert.equal((await answer(app, fast, 0, { optionId: 'b' })).statusCode, 201);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal((await answer(app, slow, 0, { optionId: 'b' })).statusCode, 201);
    const view = await stateOf(app, host, game.id);
    assert.equal(view.state, 'reveal');
    assert.deepEqual(
      view.leaderboard.map((p: { nickname: string; score: number; rank: number }) => [p.rank, p.nickname, p.score]),
      [
        [1, 'Fast', 2000],
        [2, 'Slow', 2000],
      ],
    );
  });

  it('the streak bonus adds 100 per right answer in a row before', async () => {
    const three = await createQuiz(app, host, {
      questions: [QUESTIONS.true_false, QUESTIONS.true_false, QUESTIONS.true_false],
    });
    const game = await hostGame(app, host, three.id, {
      readSeconds: 0,
      answerSeconds: 60,
      speedScoring: false,
      streakBonus: true,
    });
    const ann = await join(app, game.code, 'Ann');
    const points: number[] = [];
    for (let i = 0; i < 3; i++) {
      await advance(app, host, game.id, 'answering');
      assert.equal((await answer(app, ann, i, { value: true })).statusCode, 201);
      points.push((await asPlayer(app, ann)('GET', `/api/games/${game.id}/state`)).json().me.lastPoints);
      await advance(app, host, game.id, 'leaderboard');
    }
    assert.deepEqual(points, [1000, 1100, 1200]);
  });

  it('speed scoring: a right answer at the very end of the window still earns half', async () => {
    const game = await hostGame(app, host, quiz.id, { readSeconds: 0, answerSeconds: 60 });
    const ann = await join(app, game.code, 'Ann');
    await advance(app, host, game.id, 'answering');
    await sql`update quiz_games set phase_started_at = now() - interval '59.9 seconds' where id = ${game.id}`.execute(
      app.db,
    );
    assert.equal((await answer(app, ann, 0, { optionId: 'b' })).statusCode, 201);
    const { me } = (await asPlayer(app, ann)('GET', `/api/games/${game.id}/state`)).json();
    // 1000 × 2 points × (1 − 0.5 × 59.9/60) ≈ 1002; never below 1000.
    assert.ok(me.lastPoints >= 1000 && me.lastPoints < 1010, String(me.lastPoints));
  });

  it('hosting needs your own quiz; players need a valid token', async () => {
    assertProblem(await as(app, stranger)('POST', '/api/games', { quizId: quiz.id }), 404, 'QUIZ_NOT_FOUND');
    assertProblem(await as(app, null)('POST', '/api/games', { quizId: quiz.id }), 401, 'UNAUTHORIZED');
    const game = await hostGame(app, host, quiz.id);
    const bad = await app.inject({
      method: 'GET',
      url: `/api/games/${game.id}/state`,
      headers: { 'x-player-token': 'gwp_nope' },
    });
    assertProblem(bad, 401, 'PLAYER_TOKEN_INVALID');
    const other = await join(app, (await hostGame(app, host, quiz.id)).code, 'Elsewhere');
    assertProblem(await asPlayer(app, other)('GET', `/api/games/${game.id}/state`), 404, 'GAME_NOT_FOUND');
  });
});
