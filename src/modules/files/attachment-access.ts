import type { Db } from '../../db/database.ts';

/**
 * Who besides a file's owner may read it: whoever may read an object it is attached to. The module
 * that owns a kind of object says who that is (messages: the members of the conversation), so the
 * files module learns nothing of other modules' tables. Checked on every read, so losing access to
 * the object (leaving a conversation, the message deleted and the file detached) ends access to the
 * file at once.
 */
export type AttachmentReaders = (db: Db, userId: string, objectIds: readonly string[]) => Promise<boolean>;

// The rules are code, the same for every app instance in the process: a kind of object has one.
const readers = new Map<string, AttachmentReaders>();

/** Lets whoever `mayRead` one of the objects of `objectType` a file is attached to read the file. */
export function allowAttachmentReaders(objectType: string, mayRead: AttachmentReaders): void {
  const existing = readers.get(objectType);
  if (existing && existing !== mayRead) throw new Error(`attachment readers of "${objectType}" are defined twice`);
  readers.set(objectType, mayRead);
}

/** Whether `userId` may read a file attached to `refs`, through some object's rule. */
export async function mayReadThroughAttachments(
  db: Db,
  userId: string,
  refs: ReadonlyArray<{ object_type: string; object_id: string }>,
): Promise<boolean> {
  const byType = new Map<string, string[]>();
  for (const ref of refs) byType.set(ref.object_type, [...(byType.get(ref.object_type) ?? []), ref.object_id]);
  for (const [objectType, objectIds] of byType) {
    const mayRead = readers.get(objectType);
    if (mayRead && (await mayRead(db, userId, objectIds))) return true;
  }
  return false;
}
