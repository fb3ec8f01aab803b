import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transactions.ts';
import { attachFile, detachFile, type FileDto, listAttachments } from '../files/index.ts';
import { noteObject } from './context.ts';
import { attachmentNotFound } from './errors.ts';
import { getNote, lockNote } from './note-service.ts';

/** A note's files, through the files module (which counts the references that keep them). */

const toAttachment = (file: FileDto) => ({
  id: file.id,
  name: file.name,
  size: file.size,
  contentType: file.contentType,
  createdAt: file.createdAt,
  url: `/api/files/${file.id}/content`,
});

export async function listNoteAttachments(db: Db, userId: string, noteId: string) {
  await getNote(db, userId, noteId);
  return { items: (await listAttachments(db, noteObject(userId, noteId))).map(toAttachment) };
}

/** Someone else's file is FILE_NOT_FOUND (404), as the files module answers. */
export async function attach(db: Db, userId: string, noteId: string, fileId: string) {
  await inTransaction(db, async (trx) => {
    await lockNote(trx, userId, noteId);
    await attachFile(trx, { ...noteObject(userId, noteId), fileId, userId });
  });
  const files = await listAttachments(db, noteObject(userId, noteId));
  const file = files.find((candidate) => candidate.id === fileId);
  if (!file) throw attachmentNotFound();
  return toAttachment(file);
}

export async function detach(db: Db, userId: string, noteId: string, fileId: string) {
  await getNote(db, userId, noteId);
  if (!(await detachFile(db, { ...noteObject(userId, noteId), fileId }))) throw attachmentNotFound();
}
