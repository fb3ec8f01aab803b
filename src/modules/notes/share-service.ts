import { createHash, randomBytes } from 'node:crypto';
import { unprocessable } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transactions.ts';
import { noteInTrash, shareNotFound } from './errors.ts';
import { iso, isoOrNull } from './mappers.ts';
import { getNote, lockNote } from './note-service.ts';
import * as repo from './share-repository.ts';

/** Share links: anyone holding one reads the note, until it expires or is revoked. */

const hashOf = (token: string) => createHash('sha256').update(token).digest();

const toShare = (row: { id: string; expires_at: Date | null; created_at: Date; expired: boolean }) => ({
  id: row.id,
  expiresAt: isoOrNull(row.expires_at),
  expired: row.expired,
  createdAt: iso(row.created_at),
});

export async function createShare(db: Db, userId: string, noteId: string, input: { expiresAt?: string }) {
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw unprocessable([{ field: 'body.expiresAt', message: 'must be in the future' }]);
  }
  // 256 random bits: unguessable, and only its hash is kept.
  const token = randomBytes(32).toString('base64url');
  const row = await inTransaction(db, async (trx) => {
    const note = await lockNote(trx, userId, noteId);
    if (note.trashed_at) throw noteInTrash();
    return repo.insertShare(trx, { ownerId: userId, noteId, tokenHash: hashOf(token), expiresAt });
  });
  return { ...toShare(row), token, url: `/api/shared/notes/${token}` };
}

export async function listShares(db: Db, userId: string, noteId: string) {
  await getNote(db, userId, noteId);
  return { items: (await repo.listShares(db, userId, noteId)).map(toShare) };
}

export async function revokeShare(db: Db, userId: string, noteId: string, shareId: string) {
  await getNote(db, userId, noteId);
  if (!(await repo.revokeShare(db, userId, noteId, shareId))) throw shareNotFound();
}

/** What a link shows: the note's text and tags, nothing about its owner. */
export async function readShared(db: Db, token: string) {
  const row = await repo.sharedNote(db, hashOf(token));
  if (!row) throw shareNotFound();
  return { title: row.title, body: row.body, tags: row.all_tags, updatedAt: iso(row.updated_at) };
}
