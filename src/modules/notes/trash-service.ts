import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transactions.ts';
import { cursorScope, decodeCursor, timestampKey, toPage } from '../../lib/cursor.ts';
import type { NotesContext } from './context.ts';
import { toNoteSummary } from './mappers.ts';
import { destroyNote } from './note-service.ts';
import { pruneTombstones } from './sync-repository.ts';
import { expiredTrash, lockExpiredNote, trashQuery } from './trash-repository.ts';

/** The trash: listing it, and purging what has been there longer than NOTES_TRASH_DAYS. */

export async function listTrash(db: Db, userId: string, query: { limit: number; cursor?: string | undefined }) {
  const scope = cursorScope({ list: 'notes-trash' });
  const after = query.cursor
    ? (decodeCursor(query.cursor, scope, ['timestamp', 'uuid']) as [string, string])
    : undefined;
  const rows = await trashQuery(db, userId, { limit: query.limit, after }).execute();
  const page = toPage(rows, query.limit, scope, (row) => [timestampKey(row.trashed_at as Date), row.id]);
  return { items: page.rows.map((row) => toNoteSummary(row)), nextCursor: page.nextCursor };
}

const BATCH = 200;

/**
 * Deletes for good every note trashed longer ago than the setting, one transaction per note (each
 * is locked and checked again: a note restored meanwhile stays), then forgets tombstones older
 * than the sync retention. Safe to repeat, so a retried job only finishes the work.
 */
export async function purgeTrash(ctx: NotesContext, log?: FastifyBaseLogger) {
  let purged = 0;
  for (;;) {
    const batch = await expiredTrash(ctx.db, ctx.config.trashDays, BATCH);
    const purgedBefore = purged;
    for (const { owner_id: ownerId, id } of batch) {
      await inTransaction(ctx.db, async (trx) => {
        if (!(await lockExpiredNote(trx, ownerId, id, ctx.config.trashDays))) return;
        await destroyNote(trx, ownerId, id);
        purged++;
      });
    }
    // A short batch was the last; a full one whose notes were all restored meanwhile would repeat.
    if (batch.length < BATCH || purgedBefore === purged) break;
  }
  const tombstoneOwners = await inTransaction(ctx.db, (trx) => pruneTombstones(trx, ctx.config.syncRetentionDays));
  log?.info({ purged, tombstoneOwners }, 'notes trash purge');
  return { purged };
}
