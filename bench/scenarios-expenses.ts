import type { Scenario } from './scenarios.ts';

/**
 * The expense tracker under load, as user 1 (a user like every other seeded one, with five years of
 * history on the small size and twenty-five on the large: bench/seed-expenses.ts): the newest page
 * of transactions, spending by category over a year, and net worth over five years. All three must
 * stay flat as history grows: the list walks an index, the reports read the monthly roll-up and
 * the accounts' running totals.
 */

const today = () => new Date().toISOString().slice(0, 10);
const yearsAgo = (years: number) => `${new Date().getUTCFullYear() - years}${today().slice(4)}`;

async function as1(ctx: Parameters<Scenario['build']>[0], path: string) {
  const headers = { authorization: `Bearer ${await ctx.login(1)}` };
  return { requests: [{ method: 'GET' as const, path, headers }] };
}

export const EXPENSE_SCENARIOS: Scenario[] = [
  {
    name: 'expenses: transaction list',
    baseline: 'page',
    flat: true,
    build: (ctx) => as1(ctx, '/api/expenses/transactions?limit=50'),
  },
  {
    name: 'expenses: spending by category (a year)',
    baseline: 'page',
    flat: true,
    build: (ctx) =>
      as1(ctx, `/api/expenses/reports/spending-by-category?currency=EUR&from=${yearsAgo(1)}&to=${today()}`),
  },
  {
    name: 'expenses: net worth (5 years)',
    baseline: 'page',
    flat: true,
    build: (ctx) => as1(ctx, `/api/expenses/reports/net-worth?currency=EUR&from=${yearsAgo(5)}&to=${today()}`),
  },
];
