import type autocannon from 'autocannon';
import type { Scenario, ScenarioContext } from './scenarios.ts';
import { benchNoteId, HEAVY_USERS, NOTES_PER_HEAVY_USER, RARE_WORD } from './seed-notes.ts';

/**
 * Notes under load, as the heavy users (1000 notes each in every size) while the table around them
 * grows from 20 000 to 1 000 000 notes: list, search (words and CJK substrings), a note with its
 * history. Each must stay flat: every query starts from the owner.
 */

type Context = Record<string, unknown> & { n?: number };

/** Each connection acts as one heavy user (its number modulo HEAVY_USERS). */
async function perConnectionUser(ctx: ScenarioContext) {
  const tokens = await Promise.all(Array.from({ length: HEAVY_USERS }, (_, k) => ctx.login(k + 1)));
  let next = 0;
  return (context: object) => {
    const c = context as Context;
    c.n ??= next++;
    const user = c.n % HEAVY_USERS;
    return { user: user + 1, headers: { authorization: `Bearer ${tokens[user]}` } };
  };
}

type As = (c: object) => { user: number; headers: Record<string, string> };

const get = (path: (c: object, user: number) => string, as: As): autocannon.Request => ({
  method: 'GET',
  setupRequest: (req, c) => {
    const { user, headers } = as(c);
    return { ...req, path: path(c, user), headers };
  },
});

export const NOTE_SCENARIOS: Scenario[] = [
  {
    name: 'notes: list',
    baseline: 'page',
    flat: true,
    build: async (ctx) => {
      const as = await perConnectionUser(ctx);
      return { requests: [get(() => '/api/notes?limit=20', as), get(() => '/api/notes?tag=alpha&limit=20', as)] };
    },
  },
  {
    name: 'notes: search',
    baseline: 'page',
    flat: true,
    build: async (ctx) => {
      const as = await perConnectionUser(ctx);
      return {
        requests: [
          get(() => `/api/notes?q=${RARE_WORD}&limit=20`, as),
          get(() => `/api/notes?q=${encodeURIComponent('"note 42" or hotel -alpha')}&limit=20`, as),
          get(() => `/api/notes?q=${encodeURIComponent('東京タワー')}&limit=20`, as),
        ],
      };
    },
  },
  {
    name: 'notes: get with history',
    baseline: 'row',
    flat: true,
    build: async (ctx) => {
      const as = await perConnectionUser(ctx);
      const noteOf = (c: object, user: number) => {
        const context = c as Context & { k?: number };
        context.k = ((context.k ?? (context.n as number)) + 7) % NOTES_PER_HEAVY_USER;
        return benchNoteId(user, context.k);
      };
      return {
        requests: [
          get((c, user) => {
            (c as Context).noteId = noteOf(c, user);
            return `/api/notes/${(c as Context).noteId}`;
          }, as),
          get((c) => `/api/notes/${(c as Context).noteId}/revisions?limit=20`, as),
        ],
      };
    },
  },
];
