import type autocannon from 'autocannon';
import { FILE_SCENARIOS } from './files.ts';
import { EXPENSE_SCENARIOS } from './scenarios-expenses.ts';
import { NOTE_SCENARIOS } from './scenarios-notes.ts';
import { QUIZ_SCENARIOS } from './scenarios-quiz.ts';
import {
  BENCH_PASSWORD,
  benchEmail,
  benchProjectId,
  benchSlug,
  benchTag,
  benchUsername,
  type SeedPlan,
} from './seed.ts';

export type Baseline = 'hello' | 'row' | 'page';

/** What a scenario may use to build its requests. */
export interface ScenarioContext {
  url: string;
  plan: SeedPlan;
  /** Logs in seeded user `i` and returns an access token. */
  login(i: number): Promise<string>;
}

export interface Scenario {
  name: string;
  /** The bare-stack route this scenario is compared with. */
  baseline: Baseline;
  /** List, feed and search scenarios: their cost must not grow with the data (large/small p50 ≤ 1.2). */
  flat?: boolean;
  /** Builds the load: one request, or a sequence each connection cycles through. */
  build(ctx: ScenarioContext): Promise<Partial<autocannon.Options>>;
}

const json = { 'content-type': 'application/json' };

type Context = Record<string, unknown> & { n?: number };

/** Gives each connection its own number the first time it sends, so it can use its own user and rows. */
function connectionNumbers() {
  let next = 0;
  return (context: object): number => {
    const c = context as Context;
    c.n ??= next++;
    return c.n;
  };
}

/** Log in users 1..count (one per connection), in parallel. */
async function tokensFor(ctx: ScenarioContext, count: number): Promise<string[]> {
  return Promise.all(Array.from({ length: count }, (_, k) => ctx.login(k + 1)));
}

/** Spread deterministic picks over the seeded rows, so the load is not one hot row. */
function picks(count: number, max: number): number[] {
  return Array.from({ length: count }, (_, k) => 1 + ((k * 7919) % max));
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'health (live)',
    baseline: 'hello',
    build: async () => ({ requests: [{ method: 'GET', path: '/health/live' }] }),
  },
  {
    name: 'log-in (argon2id)',
    baseline: 'row',
    build: async ({ plan }) => ({
      requests: picks(50, plan.users).map((i) => ({
        method: 'POST' as const,
        path: '/api/auth/login',
        headers: json,
        body: JSON.stringify({ login: i % 2 ? benchEmail(i) : benchUsername(i), password: BENCH_PASSWORD }),
      })),
    }),
  },
  {
    name: 'current user',
    baseline: 'row',
    build: async ({ login }) => {
      const token = await login(1);
      return { requests: [{ method: 'GET', path: '/api/auth/me', headers: { authorization: `Bearer ${token}` } }] };
    },
  },
  {
    name: 'article by slug (anonymous)',
    baseline: 'row',
    build: async ({ plan }) => ({
      requests: picks(50, plan.articles).map((i) => ({
        method: 'GET' as const,
        path: `/api/articles/${benchSlug(i)}`,
      })),
    }),
  },
  {
    name: 'article by slug (authenticated)',
    baseline: 'row',
    build: async (ctx) => {
      const headers = { authorization: `Token ${await ctx.login(1)}` };
      return {
        requests: picks(50, ctx.plan.articles).map((i) => ({
          method: 'GET' as const,
          path: `/api/articles/${benchSlug(i)}`,
          headers,
        })),
      };
    },
  },
  {
    name: 'article list (global)',
    baseline: 'page',
    flat: true,
    build: async () => ({ requests: [{ method: 'GET', path: '/api/articles?limit=20' }] }),
  },
  {
    name: 'article list (by tag)',
    baseline: 'page',
    flat: true,
    build: async ({ plan }) => ({
      requests: picks(20, plan.tags).map((i) => ({
        method: 'GET' as const,
        path: `/api/articles?tag=${benchTag(i)}&limit=20`,
      })),
    }),
  },
  {
    name: 'article list (by author)',
    baseline: 'page',
    flat: true,
    build: async ({ plan }) => ({
      requests: picks(50, plan.users).map((i) => ({
        method: 'GET' as const,
        path: `/api/articles?author=${benchUsername(i)}&limit=20`,
      })),
    }),
  },
  {
    name: 'feed',
    baseline: 'page',
    flat: true,
    build: async (ctx) => ({
      requests: [
        {
          method: 'GET',
          path: '/api/articles/feed?limit=20',
          headers: { authorization: `Token ${await ctx.login(1)}` },
        },
      ],
    }),
  },
  {
    name: 'article with comments',
    baseline: 'page',
    flat: true,
    build: async ({ plan }) => ({
      requests: picks(25, plan.articles).flatMap((i) => [
        { method: 'GET' as const, path: `/api/articles/${benchSlug(i)}` },
        { method: 'GET' as const, path: `/api/articles/${benchSlug(i)}/comments` },
      ]),
    }),
  },
  {
    name: 'create article',
    baseline: 'row',
    build: async (ctx) => {
      const headers = { ...json, authorization: `Token ${await ctx.login(1)}` };
      return {
        requests: [
          {
            method: 'POST',
            path: '/api/articles',
            headers,
            body: JSON.stringify({
              article: {
                title: 'Benchmark article',
                description: 'Written under load',
                body: 'Some *markdown*.',
                tagList: ['bench'],
              },
            }),
          },
        ],
      };
    },
  },
  {
    name: 'favorite + unfavorite',
    baseline: 'row',
    build: async (ctx) => {
      const tokens = await tokensFor(ctx, ctx.plan.users >= 50 ? 50 : ctx.plan.users);
      const connection = connectionNumbers();
      const path = (context: object) =>
        `/api/articles/${benchSlug(1 + ((connection(context) * 7919) % ctx.plan.articles))}/favorite`;
      const auth = (context: object) => ({ authorization: `Token ${tokens[connection(context) % tokens.length]}` });
      return {
        requests: [
          { method: 'POST', setupRequest: (req, c) => ({ ...req, path: path(c), headers: auth(c) }) },
          { method: 'DELETE', setupRequest: (req, c) => ({ ...req, path: path(c), headers: auth(c) }) },
        ],
      };
    },
  },
  {
    name: 'task list (filtered)',
    baseline: 'page',
    flat: true,
    build: async (ctx) => {
      const headers = { authorization: `Bearer ${await ctx.login(1)}` };
      const project = benchProjectId(1);
      return {
        requests: [
          { method: 'GET', path: `/api/projects/${project}/tasks?status=todo&sort=due&limit=20`, headers },
          {
            method: 'GET',
            path: `/api/projects/${project}/tasks?priority=high&sort=created&order=desc&limit=20`,
            headers,
          },
          { method: 'GET', path: `/api/tasks?assignee=me&sort=due&limit=20`, headers },
          { method: 'GET', path: `/api/tasks?q=review&limit=20`, headers },
        ],
      };
    },
  },
  {
    name: 'create + update task (If-Match)',
    baseline: 'row',
    build: async (ctx) => {
      // Each connection works as its own user in the project that user owns, as real users would;
      // task writes in one project are serialized by design.
      const count = Math.min(50, ctx.plan.projects);
      const tokens = await tokensFor(ctx, count);
      const connection = connectionNumbers();
      const auth = (c: object) => ({ ...json, authorization: `Bearer ${tokens[connection(c) % count]}` });
      return {
        requests: [
          {
            method: 'POST',
            body: JSON.stringify({ title: 'Benchmark task', priority: 'high' }),
            setupRequest: (req, c) => ({
              ...req,
              path: `/api/projects/${benchProjectId(1 + (connection(c) % count))}/tasks`,
              headers: auth(c),
            }),
            onResponse: (_status, body, c, headers) => {
              const context = c as Context;
              context.taskId = (JSON.parse(body) as { id: string }).id;
              context.etag = headers?.etag;
            },
          },
          {
            method: 'PATCH',
            body: JSON.stringify({ status: 'in_progress' }),
            setupRequest: (req, c) => ({
              ...req,
              path: `/api/tasks/${(c as Context).taskId}`,
              headers: { ...auth(c), 'if-match': String((c as Context).etag) },
            }),
          },
        ],
      };
    },
  },
  ...FILE_SCENARIOS,
  ...EXPENSE_SCENARIOS,
  ...NOTE_SCENARIOS,
  ...QUIZ_SCENARIOS,
];
