import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { as, type TestUser } from '../../helpers/users.ts';

/** Questions of every type, and a quiz made of them through HTTP: shared by the quiz tests. */

export const QUESTIONS = {
  single: {
    type: 'single',
    prompt: 'Capital of France?',
    points: 2,
    explanation: 'Paris has been the capital since 987.',
    options: [
      { id: 'a', text: 'Lyon', correct: false },
      { id: 'b', text: 'Paris', correct: true },
      { id: 'c', text: 'Nice', correct: false },
    ],
  },
  multiple: {
    type: 'multiple',
    prompt: 'Which are prime?',
    options: [
      { id: 'p2', text: '2', fraction: 0.5 },
      { id: 'p3', text: '3', fraction: 0.5 },
      { id: 'n4', text: '4', fraction: -0.5 },
      { id: 'n6', text: '6', fraction: -1 },
    ],
  },
  true_false: { type: 'true_false', prompt: 'The earth is round.', answer: true },
  short_text: { type: 'short_text', prompt: 'Seat of the French president?', accepted: ['Élysée Palace', 'Elysee'] },
  numeric: { type: 'numeric', prompt: 'π to two decimals?', answer: 3.14, tolerance: 0.01, closeness: 0.1 },
  ordering: {
    type: 'ordering',
    prompt: 'Order by size, smallest first',
    items: [
      { id: 'mouse', text: 'Mouse' },
      { id: 'cat', text: 'Cat' },
      { id: 'horse', text: 'Horse' },
      { id: 'whale', text: 'Whale' },
    ],
  },
  poll: {
    type: 'poll',
    prompt: 'Favourite colour?',
    options: [
      { id: 'red', text: 'Red' },
      { id: 'blue', text: 'Blue' },
    ],
  },
} as const;

export type QuestionKey = keyof typeof QUESTIONS;

/** Creates a quiz with `questions` (all types by default), published unless `draft`. */
export async function createQuiz(
  app: FastifyInstance,
  owner: TestUser,
  options: { settings?: Record<string, unknown>; questions?: unknown[]; draft?: boolean } = {},
): Promise<{ id: string; questionIds: string[] }> {
  const call = as(app, owner);
  const created = await call('POST', '/api/quizzes', { title: 'General knowledge', ...options.settings });
  assert.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const questionIds: string[] = [];
  for (const question of options.questions ?? Object.values(QUESTIONS)) {
    const body = (question as { question?: unknown }).question ? question : { question };
    const res = await call('POST', `/api/quizzes/${id}/questions`, body);
    assert.equal(res.statusCode, 201, res.body);
    questionIds.push(res.json().id);
  }
  if (!options.draft) {
    const published = await call('PATCH', `/api/quizzes/${id}`, { status: 'published' });
    assert.equal(published.statusCode, 200, published.body);
  }
  return { id, questionIds };
}

/** Every object key anywhere in `value`, for checking what a payload carries. */
export function keysIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysIn(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      into.add(key);
      keysIn(child, into);
    }
  }
  return into;
}

/** The fields that would give an answer away; none may reach a player before review. */
export const ANSWER_KEY_FIELDS = [
  'correct',
  'fraction',
  'accepted',
  'answer',
  'tolerance',
  'closeness',
  'exact',
  'explanation',
];
