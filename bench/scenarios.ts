import type autocannon from 'autocannon';
import { BENCH_PASSWORD, benchEmail, benchUsername, type SeedPlan } from './seed.ts';

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
];
