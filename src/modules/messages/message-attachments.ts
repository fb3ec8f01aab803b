import { AppError, type FieldError, unprocessable } from '../../core/errors.ts';
import type { Db, Trx } from '../../db/database.ts';
import {
  type AttachmentReaders,
  allowAttachmentReaders,
  attachFile,
  detachAll,
  detachAllUnder,
  type FileDto,
  fileNotFoundCode,
  listAttachmentsOf,
} from '../files/index.ts';
import { isMemberOfAny } from './conversation-repository.ts';

/**
 * A message's files, held through the files module's attachments (objects of type `message`, id
 * `<conversation id>:<seq>`): attached when it is posted, listed with it, detached when it is
 * deleted, and readable by the members of its conversation.
 */

export const MESSAGE_OBJECT = 'message';

const objectIdOf = (conversationId: string, seq: number) => `${conversationId}:${seq}`;
const conversationOf = (objectId: string) => objectId.slice(0, objectId.indexOf(':'));

/** Who may read a message's files besides their owner: the members of its conversation, now. */
const membersOfTheConversation: AttachmentReaders = (db, userId, objectIds) =>
  isMemberOfAny(db, userId, [...new Set(objectIds.map(conversationOf))]);

/** Registers the rule; every app built in the process registers the same one (tests build several). */
export function allowMembersToReadAttachments(): void {
  allowAttachmentReaders(MESSAGE_OBJECT, membersOfTheConversation);
}

/**
 * Attaches the poster's own ready files to the message, in the posting transaction. Every id that
 * is not one of theirs (unknown, someone else's, still uploading) is reported at once, as a field
 * error (422) like any other reference in the body; the transaction then rolls back, message and all.
 */
export async function attachToMessage(
  trx: Trx,
  userId: string,
  message: { conversationId: string; seq: number },
  fileIds: readonly string[],
): Promise<void> {
  const ref = { objectType: MESSAGE_OBJECT, objectId: objectIdOf(message.conversationId, message.seq) };
  const errors: FieldError[] = [];
  for (const [index, fileId] of fileIds.entries()) {
    try {
      await attachFile(trx, { ...ref, fileId, userId });
    } catch (error) {
      if (!(error instanceof AppError && error.code === fileNotFoundCode)) throw error;
      errors.push({ field: `body.fileIds.${index}`, message: 'is not a file of yours' });
    }
  }
  if (errors.length) throw unprocessable(errors);
}

/** Detaches a deleted message's files: they become the owner's unattached files again. */
export function detachFromMessage(trx: Trx, message: { conversationId: string; seq: number }) {
  return detachAll(trx, { objectType: MESSAGE_OBJECT, objectId: objectIdOf(message.conversationId, message.seq) });
}

/** Detaches the files of every message of a conversation that is going away. */
export function detachFromConversation(trx: Trx, conversationId: string) {
  return detachAllUnder(trx, MESSAGE_OBJECT, `${conversationId}:`);
}

/** The files of each of these messages, in one query; look a message up with `filesOf`. */
export async function attachmentsOf(
  db: Db,
  messages: ReadonlyArray<{ conversation_id: string; seq: number; deleted_at?: Date | null }>,
): Promise<(message: { conversation_id: string; seq: number }) => FileDto[]> {
  const live = messages.filter((message) => !message.deleted_at);
  const byObject = await listAttachmentsOf(
    db,
    MESSAGE_OBJECT,
    live.map((message) => objectIdOf(message.conversation_id, message.seq)),
  );
  return (message) => byObject.get(objectIdOf(message.conversation_id, message.seq)) ?? [];
}
