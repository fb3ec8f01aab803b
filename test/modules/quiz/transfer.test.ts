import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf } from '../../helpers/users.ts';
import { createQuiz, QUESTIONS } from './fixtures.ts';

const app: FastifyInstance = await buildTestApp();
const owner = await createUser(app, 'author');
const other = await createUser(app, 'other');
const call = as(app, owner);

type Stored = { question: Record<string, unknown> & { type: string }; weight: number; tags: string[] };
const questionsOf = async (quizId: string): Promise<Stored[]> =>
  (await call('GET', `/api/quizzes/${quizId}/questions`)).json().items;

/** What GIFT carries of a question: its type, text, choices and key (not option ids, points or weights). */
function giftShape(q: Record<string, unknown> & { type: string }) {
  const texts = (list: unknown) => (list as Array<Record<string, unknown>>).map(({ id: _id, ...rest }) => rest);
  const { options, closeness: _c, exact: _e, points: _p, imageFileId: _i, ...rest } = q;
  return { ...rest, ...(options ? { options: texts(options) } : {}) };
}

describe('import and export', () => {
  it('JSON: export, import as a new draft, identical questions and settings', async () => {
    const quiz = await createQuiz(app, owner, {
      settings: { timeLimitSeconds: 90, grading: 'average', review: 'never' },
    });
    const exported = await call('GET', `/api/quizzes/${quiz.id}/export`);
    assert.equal(exported.statusCode, 200);
    const document = exported.json();
    assert.equal(document.format, 'groundwork.quiz');
    const imported = await call('POST', '/api/quizzes/import', document);
    assert.equal(imported.statusCode, 201, imported.body);
    assert.equal(imported.json().status, 'draft');
    assert.equal(imported.json().timeLimitSeconds, 90);
    assert.equal(imported.json().grading, 'average');
    assert.deepEqual(
      (await questionsOf(imported.json().id)).map((q) => [q.question, q.weight, q.tags]),
      (await questionsOf(quiz.id)).map((q) => [q.question, q.weight, q.tags]),
    );
    // A bad question: nothing is created.
    const before = (await call('GET', '/api/quizzes?limit=100')).json().items.length;
    const broken = {
      ...document,
      questions: [
        {
          question: {
            ...QUESTIONS.single,
            options: [
              { id: 'a', text: 'x', correct: false },
              { id: 'b', text: 'y', correct: false },
            ],
          },
        },
      ],
    };
    assert.deepEqual(fieldsOf(await call('POST', '/api/quizzes/import', broken)), ['body.questions.options']);
    assert.equal((await call('GET', '/api/quizzes?limit=100')).json().items.length, before);
  });

  it('GIFT: round trip of every type GIFT has; ordering and poll are left out as comments', async () => {
    const quiz = await createQuiz(app, owner, { draft: true });
    const gift = await call('GET', `/api/quizzes/${quiz.id}/export.gift`);
    assert.equal(gift.statusCode, 200);
    assert.match(String(gift.headers['content-type']), /^text\/plain/);
    assert.match(
      gift.body,
      /::Q1:: Capital of France\? \{~Lyon =Paris ~Nice ####Paris has been the capital since 987\.\}/,
    );
    assert.match(gift.body, /\/\/ Question 6 \(ordering\) has no GIFT form/);

    const target = await createQuiz(app, owner, { draft: true, questions: [] });
    const imported = await call('POST', `/api/quizzes/${target.id}/import.gift`, { text: gift.body });
    assert.equal(imported.statusCode, 200, imported.body);
    assert.equal(imported.json().imported, 5);
    const original = (await questionsOf(quiz.id)).filter((q) => !['ordering', 'poll'].includes(q.question.type));
    const back = await questionsOf(target.id);
    assert.deepEqual(
      back.map((q) => giftShape(q.question)),
      original.map((q) => giftShape(q.question)),
    );
  });

  it('GIFT: Moodle’s own syntax — weights, ranges, escapes; unsupported types are reported; bad text is a 400', async () => {
    const quiz = await createQuiz(app, owner, { draft: true, questions: [] });
    const text = [
      '// a comment',
      "::Grant:: Who is buried in Grant\\'s tomb? {~Grant =no one ~Jefferson}",
      'When was Grant born? {#1820..1824}',
      'Pick two {~%50%a ~%50%b ~%-100%c}',
      'Write an essay {}',
      'Match {=cat -> meow =dog -> woof =cow -> moo}',
      'A \\{brace\\} and a \\= sign {=x\\=y}',
    ].join('\n\n');
    const res = await call('POST', `/api/quizzes/${quiz.id}/import.gift`, { text });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().imported, 4);
    assert.deepEqual(
      res.json().skipped.map((s: { reason: string }) => s.reason),
      ['essay questions are not supported', 'matching questions are not supported'],
    );
    const stored = (await questionsOf(quiz.id)).map((q) => q.question);
    assert.equal(stored[0]?.type, 'single');
    assert.deepEqual([stored[1]?.answer, stored[1]?.tolerance], [1822, 2]);
    assert.deepEqual(
      ((stored[2] as unknown as { options: unknown }).options as Array<{ fraction: number }>).map((o) => o.fraction),
      [0.5, 0.5, -1],
    );
    assert.equal(stored[3]?.prompt, 'A {brace} and a = sign');
    assert.deepEqual(stored[3]?.accepted, ['x=y']);
    assertProblem(await call('POST', `/api/quizzes/${quiz.id}/import.gift`, { text: 'What? {=a' }), 400, 'GIFT_SYNTAX');
    assertProblem(await as(app, other)('POST', `/api/quizzes/${quiz.id}/import.gift`, { text }), 404, 'QUIZ_NOT_FOUND');
    assertProblem(await as(app, other)('GET', `/api/quizzes/${quiz.id}/export`), 404, 'QUIZ_NOT_FOUND');
  });
});
