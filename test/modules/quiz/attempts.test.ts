import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { submitOverdueJob } from '../../../src/modules/quiz/attempts/overdue-job.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../../helpers/users.ts';
import { createQuiz, QUESTIONS } from './fixtures.ts';

const app: FastifyInstance = await buildTestApp();
const owner = await createUser(app, 'author');
const student = await createUser(app, 'student');
const call = as(app, student);

/** Moves an attempt's deadline into the past, as if its time had run out. */
async function expire(attemptId: string, secondsAgo = 60) {
  await sql`update quiz_attempts set deadline = now() - make_interval(secs => ${secondsAgo}) where id = ${attemptId}`.execute(
    app.db,
  );
}

async function start(quizId: string) {
  const res = await call('POST', `/api/quizzes/${quizId}/attempts`);
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

describe('attempts', () => {
  it('start fixes the deadline on the server; a second start resumes the attempt', async () => {
    const closesAt = new Date(Date.now() + 120_000).toISOString();
    const quiz = await createQuiz(app, owner, { settings: { timeLimitSeconds: 600, closesAt } });
    const attempt = await start(quiz.id);
    assert.equal(attempt.number, 1);
    assert.equal(attempt.status, 'in_progress');
    // The quiz closes before the time limit would end: the close is the deadline.
    assert.equal(attempt.deadline, closesAt);
    assert.equal(attempt.items.length, 7);
    const again = await call('POST', `/api/quizzes/${quiz.id}/attempts`);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, attempt.id);

    const limited = await createQuiz(app, owner, { settings: { timeLimitSeconds: 60 } });
    const timed = await start(limited.id);
    assert.equal(new Date(timed.deadline).getTime() - new Date(timed.startedAt).getTime(), 60_000);
  });

  it('saving the same answer twice changes nothing; submission happens once', async () => {
    const quiz = await createQuiz(app, owner, { questions: [QUESTIONS.single, QUESTIONS.true_false] });
    const attempt = await start(quiz.id);
    const url = `/api/attempts/${attempt.id}/answers/${quiz.questionIds[0]}`;
    const first = (await call('PUT', url, { optionId: 'b' })).json();
    const second = await call('PUT', url, { optionId: 'b' });
    assert.equal(second.statusCode, 200);
    assert.deepEqual(second.json().items[0], first.items[0]);
    // Before submission, no marks.
    assert.equal(first.items[0].marks, null);
    const changed = (await call('PUT', url, { optionId: 'a' })).json();
    assert.deepEqual(changed.items[0].answer, { optionId: 'a' });
    const submitted = await call('POST', `/api/attempts/${attempt.id}/submit`);
    assert.equal(submitted.statusCode, 200);
    assert.equal(submitted.json().status, 'submitted');
    assert.equal(submitted.json().submittedBy, 'user');
    assert.equal(submitted.json().score, 0);
    assertProblem(await call('POST', `/api/attempts/${attempt.id}/submit`), 409, 'ATTEMPT_SUBMITTED');
    assertProblem(await call('PUT', url, { optionId: 'b' }), 409, 'ATTEMPT_SUBMITTED');
  });

  it('an answer after the deadline and its grace is refused with the deadline (409)', async () => {
    const quiz = await createQuiz(app, owner, { settings: { timeLimitSeconds: 300 }, questions: [QUESTIONS.single] });
    const attempt = await start(quiz.id);
    await expire(attempt.id);
    const late = await call('PUT', `/api/attempts/${attempt.id}/answers/${quiz.questionIds[0]}`, { optionId: 'b' });
    const problem = assertProblem(late, 409, 'DEADLINE_PASSED');
    const deadline = (await call('GET', `/api/attempts/${attempt.id}`)).json().deadline;
    assert.match(problem.detail, new RegExp(deadline.replace(/\./g, '\\.')));
  });

  it('the overdue job submits attempts whose time ran out, graded on what was saved', async () => {
    const quiz = await createQuiz(app, owner, {
      settings: { timeLimitSeconds: 300 },
      questions: [QUESTIONS.single, QUESTIONS.true_false],
    });
    const attempt = await start(quiz.id);
    await call('PUT', `/api/attempts/${attempt.id}/answers/${quiz.questionIds[0]}`, { optionId: 'b' });
    const fresh = await start(
      (await createQuiz(app, owner, { settings: { timeLimitSeconds: 300 }, questions: [QUESTIONS.poll] })).id,
    );
    await expire(attempt.id);
    await app.jobs.enqueue(app.db, submitOverdueJob, {});
    await app.jobs.idle();
    const graded = (await call('GET', `/api/attempts/${attempt.id}`)).json();
    assert.equal(graded.status, 'submitted');
    assert.equal(graded.submittedBy, 'deadline');
    assert.equal(graded.score, 2);
    assert.equal(graded.maxScore, 3);
    assert.equal((await call('GET', `/api/attempts/${fresh.id}`)).json().status, 'in_progress');
  });

  it('max attempts, the open window', async () => {
    const quiz = await createQuiz(app, owner, { settings: { maxAttempts: 1 }, questions: [QUESTIONS.poll] });
    const attempt = await start(quiz.id);
    await call('POST', `/api/attempts/${attempt.id}/submit`);
    assertProblem(await call('POST', `/api/quizzes/${quiz.id}/attempts`), 409, 'ATTEMPTS_EXHAUSTED');
    const later = await createQuiz(app, owner, {
      settings: { opensAt: new Date(Date.now() + 3_600_000).toISOString() },
      questions: [QUESTIONS.poll],
    });
    assertProblem(await call('POST', `/api/quizzes/${later.id}/attempts`), 409, 'QUIZ_NOT_OPEN');
    const draft = await createQuiz(app, owner, { draft: true, questions: [QUESTIONS.poll] });
    assertProblem(await call('POST', `/api/quizzes/${draft.id}/attempts`), 404, 'QUIZ_NOT_FOUND');
  });

  it('grading methods: highest, last, first, average', async () => {
    const scoresFor = async (grading: string) => {
      const quiz = await createQuiz(app, owner, { settings: { grading }, questions: [QUESTIONS.multiple] });
      for (const optionIds of [['p2'], ['p2', 'p3'], []]) {
        const attempt = await start(quiz.id);
        await call('PUT', `/api/attempts/${attempt.id}/answers/${quiz.questionIds[0]}`, { optionIds });
        await call('POST', `/api/attempts/${attempt.id}/submit`);
      }
      const mine = (await call('GET', `/api/quizzes/${quiz.id}/attempts`)).json();
      assert.deepEqual(
        mine.items.map((a: { number: number; score: number }) => [a.number, a.score]),
        [
          [1, 0.5],
          [2, 1],
          [3, 0],
        ],
      );
      return mine.grade;
    };
    assert.deepEqual(await scoresFor('highest'), { method: 'highest', score: 1, maxScore: 1 });
    assert.deepEqual(await scoresFor('last'), { method: 'last', score: 0, maxScore: 1 });
    assert.deepEqual(await scoresFor('first'), { method: 'first', score: 0.5, maxScore: 1 });
    assert.deepEqual(await scoresFor('average'), { method: 'average', score: 0.5, maxScore: 1 });
  });

  it('review policies: after_submit, after_close, never', async () => {
    const reviewOf = async (settings: Record<string, unknown>) => {
      const quiz = await createQuiz(app, owner, { settings, questions: [QUESTIONS.single] });
      const attempt = await start(quiz.id);
      assert.equal(attempt.items[0].review, null);
      const done = (await call('POST', `/api/attempts/${attempt.id}/submit`)).json();
      assert.equal(done.items[0].marks, 0, 'marks are always shown once submitted');
      return { quiz, attempt: done };
    };
    const open = await reviewOf({ review: 'after_submit' });
    assert.equal(open.attempt.reviewAvailable, true);
    assert.deepEqual(open.attempt.items[0].review.question.options[1], { id: 'b', text: 'Paris', correct: true });
    assert.equal(open.attempt.items[0].review.question.explanation, QUESTIONS.single.explanation);
    const never = await reviewOf({ review: 'never' });
    assert.equal(never.attempt.items[0].review, null);
    const closing = await reviewOf({ review: 'after_close', closesAt: new Date(Date.now() + 3_600_000).toISOString() });
    assert.equal(closing.attempt.items[0].review, null);
    await sql`update quizzes set closes_at = now() - interval '1 second' where id = ${closing.quiz.id}`.execute(app.db);
    const closed = (await call('GET', `/api/attempts/${closing.attempt.id}`)).json();
    assert.equal(closed.reviewAvailable, true);
    assert.equal(closed.items[0].review.question.options[1].correct, true);
  });

  it('shuffles per attempt, stably: a reload shows the same order', async () => {
    const questions = Array.from({ length: 8 }, (_, i) => ({ ...QUESTIONS.single, prompt: `Question ${i}` }));
    const quiz = await createQuiz(app, owner, {
      settings: { shuffleQuestions: true, shuffleOptions: true },
      questions,
    });
    const orderOf = (attempt: { items: Array<{ question: { prompt: string; options: Array<{ id: string }> } }> }) =>
      attempt.items.map((item) => `${item.question.prompt}:${item.question.options.map((o) => o.id).join('')}`);
    const first = await start(quiz.id);
    const reloaded = (await call('GET', `/api/attempts/${first.id}`)).json();
    assert.deepEqual(orderOf(reloaded), orderOf(first));
    await call('POST', `/api/attempts/${first.id}/submit`);
    const second = await start(quiz.id);
    // 8! × 6⁸ orders: two attempts sharing one would be a broken seed, not chance.
    assert.notDeepEqual(orderOf(second), orderOf(first));
    assert.deepEqual(new Set(orderOf(second).map((s) => s.split(':')[0])), new Set(questions.map((q) => q.prompt)));
  });

  it('draws N questions from a tagged pool, and always asks the untagged ones', async () => {
    const pool = Array.from({ length: 5 }, (_, i) => ({
      question: { ...QUESTIONS.true_false, prompt: `Pool ${i}` },
      tags: ['pool'],
    }));
    const quiz = await createQuiz(app, owner, {
      settings: { draw: { tag: 'pool', count: 2 } },
      questions: [{ question: QUESTIONS.single }, ...pool],
    });
    const attempt = await start(quiz.id);
    const prompts = attempt.items.map((item: { question: { prompt: string } }) => item.question.prompt);
    assert.equal(prompts.length, 3);
    assert.equal(prompts[0], QUESTIONS.single.prompt);
    assert.equal(prompts.filter((p: string) => p.startsWith('Pool')).length, 2);
  });

  it('editing a published quiz never changes an attempt already taken', async () => {
    const quiz = await createQuiz(app, owner, { questions: [QUESTIONS.single] });
    const attempt = await start(quiz.id);
    await call('PUT', `/api/attempts/${attempt.id}/answers/${quiz.questionIds[0]}`, { optionId: 'b' });
    await call('POST', `/api/attempts/${attempt.id}/submit`);
    const changed = {
      ...QUESTIONS.single,
      prompt: 'Largest city of France?',
      options: QUESTIONS.single.options.map((o) => ({ ...o, correct: o.id === 'a' })),
    };
    assert.equal(
      (await as(app, owner)('PATCH', `/api/quizzes/${quiz.id}/questions/${quiz.questionIds[0]}`, { question: changed }))
        .statusCode,
      200,
    );
    const kept = (await call('GET', `/api/attempts/${attempt.id}`)).json();
    assert.equal(kept.items[0].question.prompt, QUESTIONS.single.prompt);
    assert.equal(kept.items[0].marks, 2);
    assert.equal(kept.items[0].review.question.options[1].correct, true);
    const next = await start(quiz.id);
    assert.equal(next.items[0].question.prompt, 'Largest city of France?');
  });

  it('another user’s attempt is not found (404); no user: 401', async () => {
    const quiz = await createQuiz(app, owner, { questions: [QUESTIONS.single] });
    const attempt = await start(quiz.id);
    const stranger = as(app, owner);
    assertProblem(await stranger('GET', `/api/attempts/${attempt.id}`), 404, 'ATTEMPT_NOT_FOUND');
    assertProblem(
      await stranger('PUT', `/api/attempts/${attempt.id}/answers/${quiz.questionIds[0]}`, { optionId: 'b' }),
      404,
      'ATTEMPT_NOT_FOUND',
    );
    assertProblem(await stranger('POST', `/api/attempts/${attempt.id}/submit`), 404, 'ATTEMPT_NOT_FOUND');
    assertProblem(await as(app, null)('GET', `/api/attempts/${attempt.id}`), 401, 'UNAUTHORIZED');
  });
});

describe('attempts under concurrency', () => {
  it('two starts at once make one attempt: one 201, the other resumes it (200)', async () => {
    const quiz = await createQuiz(app, owner, { settings: { maxAttempts: 1 }, questions: [QUESTIONS.single] });
    const [a, b] = await Promise.all([
      call('POST', `/api/quizzes/${quiz.id}/attempts`),
      call('POST', `/api/quizzes/${quiz.id}/attempts`),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 201], `${a.body} ${b.body}`);
    assert.equal(a.json().id, b.json().id);
  });

  it('a retried start with the same Idempotency-Key replays the first answer', async () => {
    const quiz = await createQuiz(app, owner, { questions: [QUESTIONS.single] });
    const key = { 'idempotency-key': `start-${quiz.id}` };
    const first = await call('POST', `/api/quizzes/${quiz.id}/attempts`, undefined, key);
    const again = await call('POST', `/api/quizzes/${quiz.id}/attempts`, undefined, key);
    assert.deepEqual([first.statusCode, again.statusCode], [201, 201]);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().id, first.json().id);
  });
});
