import { createHash } from 'node:crypto';

/**
 * Notes for the benchmark and the notes EXPLAIN test: generated inside PostgreSQL
 * (`insert … select from generate_series`), every value a function of the row number, so every run
 * builds the same data. Note g belongs to the owner `ownerOf(g)` (an SQL expression over `g`).
 */

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett'];
/** In one note of 50: what the search scenario and the explain test look for. */
export const RARE_WORD = 'zephyr';
/** In every note: a search that matches all of a user's notes. */
export const COMMON_WORD = 'meeting';

/** Users 1..HEAVY_USERS own NOTES_PER_HEAVY_USER notes each in every size: the notes scenarios act as them. */
export const HEAVY_USERS = 10;
export const NOTES_PER_HEAVY_USER = 1_000;

/** The id of the k-th (0-based) note of heavy user i (1-based): note g = i - 1 + 10k + … see ownerOfBenchNote. */
export function benchNoteId(i: number, k: number): string {
  const g = i + k * HEAVY_USERS;
  const hex = createHash('md5').update(`note${g}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Who owns note g in the benchmark: the first notes go round the heavy users (note g to user
 * 1 + (g - 1) % HEAVY_USERS), the rest are spread over everyone else. So a heavy user's notes are
 * the same in every size, and only the table around them grows.
 */
export function ownerOfBenchNote(users: number): string {
  const heavy = HEAVY_USERS * NOTES_PER_HEAVY_USER;
  return `md5('user' || (case when g <= ${heavy} then 1 + (g - 1) % ${HEAVY_USERS}
                              else ${HEAVY_USERS + 1} + g % ${Math.max(1, users - HEAVY_USERS)} end))::uuid`;
}

/** The statements that seed `count` notes, each with one revision, and the owners' sync state. */
export function seedNotesSql(count: number, ownerOf: string): string[] {
  const word = (offset: number) => `(array['${WORDS.join("','")}'])[1 + (g * ${offset}) % ${WORDS.length}]`;
  return [
    `insert into notes (owner_id, id, title, body, tags, all_tags, pinned, archived, sync_seq, created_at, updated_at)
     select ${ownerOf},
            md5('note' || g)::uuid,
            'Note ' || g || ' ' || ${word(7)},
            '${COMMON_WORD} about ' || ${word(3)} || ' and ' || ${word(11)} || E'\\n' ||
              case when g % 50 = 0 then '${RARE_WORD} ' else '' end ||
              case when g % 10 = 0 then '会议记录 東京タワー ' else '' end ||
              'Body of note ' || g || ' #' || ${word(13)} || ' ' || md5(g::text),
            array[${word(5)}],
            array[${word(5)}, ${word(13)}],
            g % 20 = 0,
            g % 25 = 0,
            g,
            now() - g * interval '1 minute',
            now() - g * interval '30 seconds'
     from generate_series(1, ${count}) g`,
    `insert into note_revisions (owner_id, note_id, rev, author_id, title, body, tags, notebook_id, created_at, updated_at)
     select owner_id, id, 1, owner_id, title, body, tags, null, created_at, updated_at from notes`,
    `insert into note_sync_state (owner_id, last_seq)
     select owner_id, max(sync_seq) from notes group by owner_id
     on conflict (owner_id) do update set last_seq = excluded.last_seq`,
  ];
}
