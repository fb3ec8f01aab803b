import { createHash } from 'node:crypto';
import type { Scenario } from './scenarios.ts';
import { quizCount } from './seed-quiz.ts';

/**
 * Quiz load: attempt scenarios on the seeded data (bench/seed-quiz.ts), and the live-game
 * measurement — 500 players answering one question inside its window, every answer counted once.
 */

const md5Uuid = (text: string) => {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const quizId = (q: number) => md5Uuid(`quiz${q}`);
const attemptId = (i: number) => md5Uuid(`attempt${i}`);
const json = { 'content-type': 'application/json' };
const CONNECTIONS = 50;

type Context = Record<string, unknown> & { n?: number };
function connectionNumbers() {
  let next = 0;
  return (context: object): number => {
    const c = context as Context;
    c.n ??= next++;
    return c.n;
  };
}

export const QUIZ_SCENARIOS: Scenario[] = [
  {
    name: 'quiz: attempt (start, answer, submit)',
    baseline: 'row',
    build: async (ctx) => {
      const tokens = await Promise.all(Array.from({ length: CONNECTIONS }, (_, k) => ctx.login(k + 1)));
      const connection = connectionNumbers();
      const quizzes = quizCount(ctx.plan);
      const auth = (c: object) => ({ ...json, authorization: `Bearer ${tokens[connection(c) % CONNECTIONS]}` });
      return {
        requests: [
          {
            method: 'POST',
            setupRequest: (req, c) => ({
              ...req,
              path: `/api/quizzes/${quizId(1 + (connection(c) % quizzes))}/attempts`,
              headers: { authorization: auth(c).authorization },
            }),
            onResponse: (_status, body, c) => {
              const attempt = JSON.parse(body) as { id: string; items: Array<{ question: { id: string } }> };
              (c as Context).attempt = attempt.id;
              (c as Context).question = attempt.items[0]?.question.id;
            },
          },
          {
            method: 'PUT',
            body: JSON.stringify({ optionId: 'a' }),
            setupRequest: (req, c) => ({
              ...req,
              path: `/api/attempts/${(c as Context).attempt}/answers/${(c as Context).question}`,
              headers: auth(c),
            }),
          },
          {
            method: 'POST',
            setupRequest: (req, c) => ({
              ...req,
              path: `/api/attempts/${(c as Context).attempt}/submit`,
              headers: { authorization: auth(c).authorization },
            }),
          },
        ],
      };
    },
  },
  {
    name: 'quiz: read a submitted attempt',
    baseline: 'row',
    build: async (ctx) => {
      const tokens = await Promise.all(Array.from({ length: CONNECTIONS }, (_, k) => ctx.login(k + 1)));
      const connection = connectionNumbers();
      return {
        requests: [
          {
            method: 'GET',
            setupRequest: (req, c) => {
              const i = connection(c) % CONNECTIONS;
              return {
                ...req,
                path: `/api/attempts/${attemptId(i + 1)}`,
                headers: { authorization: `Bearer ${tokens[i]}` },
              };
            },
          },
        ],
      };
    },
  },
];

export const LIVE_GAME = 'quiz: live game';

export interface LiveGameResult {
  players: number;
  duplicates: number;
  accepted: number;
  refusedDuplicates: number;
  counted: number;
  endedEarly: boolean;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  joinSeconds: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function call(
  url: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown },
) {
  const res = await fetch(url + path, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : json), ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * A host (seeded user 1, owner of quiz 1) opens a game; `players` join; the question opens and
 * every player answers at once, a tenth of them twice. Ack latency is each answer's round trip.
 * Then the results must hold exactly one answer per player, and the question must have ended by
 * itself as soon as the last one came in.
 */
export async function measureLiveGame(
  url: string,
  login: (i: number) => Promise<string>,
  players: number,
): Promise<LiveGameResult> {
  const host = { authorization: `Bearer ${await login(1)}` };
  const game = await call(url, '/api/games', {
    method: 'POST',
    headers: host,
    body: { quizId: quizId(1), readSeconds: 0, answerSeconds: 120 },
  });
  if (game.status !== 201) throw new Error(`create game: ${game.status} ${JSON.stringify(game.body)}`);
  const gameId = game.body.id as string;
  const joinStarted = Date.now();
  const tokens: string[] = [];
  for (let start = 0; start < players; start += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, players - start) }, (_, k) =>
        call(url, '/api/games/join', {
          method: 'POST',
          body: { code: game.body.code, nickname: `player${start + k}` },
        }),
      ),
    );
    for (const joined of batch) tokens.push(joined.body.token as string);
  }
  const joinSeconds = (Date.now() - joinStarted) / 1000;
  const opened = await call(url, `/api/games/${gameId}/advance`, { method: 'POST', headers: host });
  if (opened.body.state !== 'answering') throw new Error(`advance: ${JSON.stringify(opened.body)}`);

  const duplicates = Math.floor(players / 10);
  const senders = [...tokens, ...tokens.slice(0, duplicates)];
  const latencies: number[] = [];
  const statuses = await Promise.all(
    senders.map(async (token) => {
      const started = performance.now();
      const res = await call(url, `/api/games/${gameId}/answers`, {
        method: 'POST',
        headers: { 'x-player-token': token },
        body: { questionIndex: 0, answer: { optionId: 'a' } },
      });
      latencies.push(performance.now() - started);
      return res.status;
    }),
  );
  const results = await call(url, `/api/games/${gameId}/results`, { headers: host });
  const state = await call(url, `/api/games/${gameId}/state`, { headers: host });
  latencies.sort((a, b) => a - b);
  return {
    players,
    duplicates,
    accepted: statuses.filter((s) => s === 201).length,
    refusedDuplicates: statuses.filter((s) => s === 409).length,
    counted: (results.body.answers as unknown[]).length,
    endedEarly: state.body.state === 'reveal',
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? 0,
    joinSeconds,
  };
}
