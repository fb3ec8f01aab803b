import { AppError } from '../../core/errors.ts';
import type { FileStore } from '../files/index.ts';
import type { ImportAttachment } from './import-formats.ts';

/**
 * An imported note's files become new files of the importer, stored through the files module (so
 * its sniffing, purpose rules, size limit and quota apply), within what the import may still store.
 * A note comes in with all of its files or not at all.
 */

/** What one import may still store (NOTES_IMPORT_MAX_FILES, NOTES_IMPORT_MAX_FILE_BYTES). */
export interface AttachmentBudget {
  files: number;
  bytes: number;
}

/**
 * The files by the id the body knew each by (lower-cased), and of those the ones stored for this
 * note (`fresh`, what a failed note must discard) — or why the note cannot have them.
 */
export type StoredAttachments =
  | { ids: Map<string, string>; fresh: Map<string, string>; bytes: number }
  | { refused: string };

/**
 * `known` holds the files this import already stored for notes that came in: a file several notes
 * hold (an export lists it under each) becomes one new file they all hold, as it was.
 */
export async function storeAttachments(
  files: FileStore,
  userId: string,
  attachments: readonly ImportAttachment[],
  budget: AttachmentBudget,
  known: ReadonlyMap<string, string>,
): Promise<StoredAttachments> {
  const ids = new Map<string, string>();
  const toStore: ImportAttachment[] = [];
  for (const attachment of attachments) {
    const existing = known.get(attachment.ref.toLowerCase());
    if (existing) ids.set(attachment.ref.toLowerCase(), existing);
    else toStore.push(attachment);
  }
  if (toStore.length > budget.files) {
    return {
      refused: `its ${toStore.length} attachment(s) go past the ${budget.files} files this import may still store`,
    };
  }
  const declared = toStore.reduce((sum, attachment) => sum + attachment.size, 0);
  if (declared > budget.bytes) {
    return {
      refused: `its attachments (${declared} bytes) go past the ${budget.bytes} bytes this import may still store`,
    };
  }
  const fresh = new Map<string, string>();
  let bytes = 0;
  for (const attachment of toStore) {
    const refusal = attachment.problem ?? (await storeOne(files, userId, attachment, fresh));
    if (typeof refusal === 'string') {
      await discardAttachments(files, userId, fresh);
      return { refused: `attachment "${attachment.name}": ${refusal}` };
    }
    bytes += refusal;
  }
  for (const [ref, fileId] of fresh) ids.set(ref, fileId);
  return { ids, fresh, bytes };
}

/** Stores one file: its size, or why it was refused. A failure of our own (storage down) is thrown. */
async function storeOne(
  files: FileStore,
  userId: string,
  attachment: ImportAttachment,
  ids: Map<string, string>,
): Promise<number | string> {
  let bytes: AsyncIterable<Buffer | Uint8Array>;
  try {
    bytes = await attachment.open();
  } catch {
    return 'unreadable';
  }
  try {
    const file = await files.store(userId, {
      name: attachment.name,
      contentType: attachment.contentType,
      bytes,
    });
    ids.set(attachment.ref.toLowerCase(), file.id);
    return file.size;
  } catch (error) {
    // The files module's refusals (too large, over quota, type not accepted, a corrupt zip entry).
    if (error instanceof AppError && error.statusCode < 500) return error.message;
    throw error;
  }
}

/** Deletes files stored for a note that did not come in after all. */
export async function discardAttachments(files: FileStore, userId: string, ids: ReadonlyMap<string, string>) {
  for (const fileId of ids.values()) await files.remove(userId, fileId);
}
