import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf } from '../../helpers/users.ts';
import { createQuiz, QUESTIONS } from './fixtures.ts';

const filesDir = mkdtempSync(join(tmpdir(), 'gw-quiz-files-'));
after(() => rmSync(filesDir, { recursive: true, force: true }));
const app: FastifyInstance = await buildTestApp({ STORAGE_DRIVER: 'local', STORAGE_LOCAL_DIR: filesDir });
const owner = await createUser(app, 'author');
const other = await createUser(app, 'student');

describe('questions', () => {
  it('stores every type with its defaults filled in, in order', async () => {
    const quiz = await createQuiz(app, owner, { draft: true });
    const list = await as(app, owner)('GET', `/api/quizzes/${quiz.id}/questions`);
    assert.equal(list.statusCode, 200);
    const items = list.json().items;
    assert.deepEqual(
      items.map((q: { position: number; question: { type: string } }) => [q.position, q.question.type]),
      Object.keys(QUESTIONS).map((type, i) => [i, type]),
    );
    assert.deepEqual(items[3].question, {
      ...QUESTIONS.short_text,
      points: 1,
      imageFileId: null,
      explanation: '',
      exact: false,
    });
    assert.equal(items[0].weight, 1);
    assert.equal(items[0].version, 1);
  });

  it('an edit makes a new version; the same text again does not; moving shifts the others', async () => {
    const quiz = await createQuiz(app, owner, {
      draft: true,
      questions: [QUESTIONS.single, QUESTIONS.poll, QUESTIONS.true_false],
    });
    const call = as(app, owner);
    const url = `/api/quizzes/${quiz.id}/questions/${quiz.questionIds[0]}`;
    const edited = await call('PATCH', url, {
      question: { ...QUESTIONS.single, prompt: 'Capital of France (today)?' },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().version, 2);
    const same = await call('PATCH', url, {
      question: { ...QUESTIONS.single, prompt: 'Capital of France (today)?' },
      weight: 3,
    });
    assert.equal(same.json().version, 2);
    assert.equal(same.json().weight, 3);
    const moved = await call('PATCH', url, { position: 9 });
    assert.equal(moved.json().position, 2);
    const order = (await call('GET', `/api/quizzes/${quiz.id}/questions`))
      .json()
      .items.map((q: { id: string }) => q.id);
    assert.deepEqual(order, [quiz.questionIds[1], quiz.questionIds[2], quiz.questionIds[0]]);
    assert.equal((await call('DELETE', `/api/quizzes/${quiz.id}/questions/${quiz.questionIds[1]}`)).statusCode, 204);
    const after = (await call('GET', `/api/quizzes/${quiz.id}/questions`)).json().items;
    assert.deepEqual(
      after.map((q: { id: string; position: number }) => [q.id, q.position]),
      [
        [quiz.questionIds[2], 0],
        [quiz.questionIds[0], 1],
      ],
    );
    assertProblem(
      await call('GET', `/api/quizzes/${quiz.id}/questions/${quiz.questionIds[1]}`),
      404,
      'QUESTION_NOT_FOUND',
    );
  });

  it('refuses questions that cannot be answered right (422, per field)', async () => {
    const quiz = await createQuiz(app, owner, { draft: true, questions: [] });
    const post = (question: unknown) => as(app, owner)('POST', `/api/quizzes/${quiz.id}/questions`, { question });
    const twoRight = await post({
      ...QUESTIONS.single,
      options: QUESTIONS.single.options.map((o) => ({ ...o, correct: true })),
    });
    assert.deepEqual(fieldsOf(twoRight), ['body.question.options']);
    const unattainable = await post({
      ...QUESTIONS.multiple,
      options: [
        { id: 'a', text: 'a', fraction: 0.5 },
        { id: 'b', text: 'b', fraction: -1 },
      ],
    });
    assert.deepEqual(fieldsOf(unattainable), ['body.question.options']);
    const duplicate = await post({
      ...QUESTIONS.ordering,
      items: [
        { id: 'x', text: '1' },
        { id: 'x', text: '2' },
      ],
    });
    assert.deepEqual(fieldsOf(duplicate), ['body.question.items']);
    const outOfRange = await post({
      ...QUESTIONS.multiple,
      options: [
        { id: 'a', text: 'a', fraction: 2 },
        { id: 'b', text: 'b', fraction: 1 },
      ],
    });
    assertProblem(outOfRange, 422, 'VALIDATION_FAILED');
    assertProblem(await post({ type: 'essay', prompt: 'Why?' }), 422, 'VALIDATION_FAILED');
    assertProblem(
      await post({ ...QUESTIONS.single, imageFileId: '00000000-0000-4000-8000-000000000000' }),
      404,
      'FILE_NOT_FOUND',
    );
  });

  it('another user’s quiz: its questions are not found (404); no user: 401', async () => {
    const quiz = await createQuiz(app, owner, { draft: true, questions: [QUESTIONS.single] });
    assertProblem(
      await as(app, other)('POST', `/api/quizzes/${quiz.id}/questions`, { question: QUESTIONS.poll }),
      404,
      'QUIZ_NOT_FOUND',
    );
    assertProblem(
      await as(app, other)('GET', `/api/quizzes/${quiz.id}/questions/${quiz.questionIds[0]}`),
      404,
      'QUIZ_NOT_FOUND',
    );
    assertProblem(await as(app, null)('GET', `/api/quizzes/${quiz.id}/questions`), 401, 'UNAUTHORIZED');
  });

  it('a question’s image is the author’s uploaded file, held by the quiz until the quiz goes', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'map.png');
    const encoded = new Response(form);
    const uploaded = await app.inject({
      method: 'POST',
      url: '/api/files?purpose=image',
      payload: Buffer.from(await encoded.arrayBuffer()),
      headers: { 'content-type': encoded.headers.get('content-type') ?? '', authorization: `Bearer ${owner.token}` },
    });
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    const fileId = uploaded.json().id;
    const quiz = await createQuiz(app, owner, { questions: [{ ...QUESTIONS.single, imageFileId: fileId }] });
    const attempt = (await as(app, other)('POST', `/api/quizzes/${quiz.id}/attempts`)).json();
    assert.equal(attempt.items[0].question.imageFileId, fileId);
    assertProblem(await as(app, owner)('DELETE', `/api/files/${fileId}`), 409, 'FILE_ATTACHED');
    // Someone else's file cannot be put in a question.
    const foreign = await createQuiz(app, other, { draft: true, questions: [] });
    const refused = await as(app, other)('POST', `/api/quizzes/${foreign.id}/questions`, {
      question: { ...QUESTIONS.single, imageFileId: fileId },
    });
    assertProblem(refused, 404, 'FILE_NOT_FOUND');
    assert.equal((await as(app, owner)('DELETE', `/api/quizzes/${quiz.id}`)).statusCode, 204);
    assert.equal((await as(app, owner)('DELETE', `/api/files/${fileId}`)).statusCode, 204);
  });
});
