import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { noteColumns } from './note-repository.ts';

/**
 * The sync feed's order. Every change to a note takes the next number of its owner's sequence
 * (`note_sync_state.last_seq`, one row per owner) and stores it on the note (`notes.sync_seq`) or,
 * for a note deleted for good, on its tombstone.
 *
 * Why not a plain sequence or `now()`: numbers drawn at write time commit in any order, so a
 * reader could see 7 committed, hand out cursor 7, and never see 6 when it commits a moment
 * later — a lost edit (Joplin's issue 13531 is this kind of bug). Here the number is drawn by
 * updating the owner's row, whose lock is held until the transaction ends: a second writer of the
 * same owner waits, and draws its number only after the first committed (or rolled back). So the
 * numbers of one owner commit in order, and `sync_seq > cursor` never skips a change. Different
 * owners never wait on each other, and xid/snapshot tricks (which wrap and are per server) are
 * not needed. Writers take this lock last, after the note's own row lock, so they cannot deadlock.
 */
export async function nextSeq(trx: Trx, ownerId: string): Promise<number> {
  const row = await sql<{ last_seq: number }>`
    insert into note_sync_state (owner_id, last_seq) values (${ownerId}, 1)
    on conflict (owner_id) do update set last_seq = note_sync_state.last_seq + 1
    returning last_seq`.execute(trx);
  return Number(row.rows[0]?.last_seq);
}

/** Records that a note is gone for good, for clients that sync later. */
export async function insertTombstone(trx: Trx, ownerId: string, noteId: string) {
  const seq = await nextSeq(trx, ownerId);
  await trx.insertInto('note_tombstones').values({ owner_id: ownerId, note_id: noteId, sync_seq: seq }).execute();
}

export async function syncState(db: Db, ownerId: string) {
  return db
    .selectFrom('note_sync_state')
    .select(['last_seq', 'pruned_seq'])
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
}

/**
 * Changes after `afterSeq`, oldest first: notes (in any state, the trash included) and tombstones,
 * merged on the sequence, each side through its (owner_id, sync_seq) index. One statement, so one
 * snapshot: a change committing meanwhile is either in the page with everything before it, or
 * left for the next call — never skipped by a cursor that moved past it.
 */
export function changesQuery(db: Db, ownerId: string, afterSeq: number, limit: number) {
  const changes = sql<{ seq: number; note_id: string; deleted: boolean }>`(
    (select sync_seq as seq, id as note_id, false as deleted from notes
      where owner_id = ${ownerId} and sync_seq > ${afterSeq} order by sync_seq limit ${limit + 1})
    union all
    (select sync_seq, note_id, true from note_tombstones
      where owner_id = ${ownerId} and sync_seq > ${afterSeq} order by sync_seq limit ${limit + 1})
  )`;
  return db
    .selectFrom(changes.as('c'))
    .leftJoin('notes as n', (join) =>
      join.onRef('n.id', '=', 'c.note_id').on('n.owner_id', '=', ownerId).on(sql<boolean>`not c.deleted`),
    )
    .select(['c.seq', 'c.note_id', 'c.deleted'])
    .select(noteColumns)
    .orderBy('c.seq')
    .limit(limit + 1);
}

/**
 * Forgets tombstones older than the retention, remembering per owner the highest sequence
 * forgotten: a cursor below it may have missed a deletion and must resync (410).
 */
export async function pruneTombstones(trx: Trx, olderThanDays: number) {
  const pruned = await sql<{ owner_id: string; max_seq: number }>`
    with gone as (
      delete from note_tombstones where deleted_at < now() - make_interval(secs => ${olderThanDays * 86_400})
      returning owner_id, sync_seq
    )
    select owner_id, max(sync_seq) as max_seq from gone group by owner_id`.execute(trx);
  for (const row of pruned.rows) {
    await trx
      .updateTable('note_sync_state')
      .set({ pruned_seq: sql`greatest(pruned_seq, ${row.max_seq})` })
      .where('owner_id', '=', row.owner_id)
      .execute();
  }
  return pruned.rows.length;
}
