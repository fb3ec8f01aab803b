/**
 * The files module's public face: what other modules (notes, expenses, quizzes) use to hold
 * files. A module stores the file ids its objects carry by attaching them here, inside its own
 * transaction when it has one; the reference count this keeps is what stops a held file from
 * being deleted or cleaned up. Reading and storing bytes from code (an export, an import) goes
 * through `app.files` (FileStore), which this module's plugin decorates.
 */

export { type AttachmentReaders, allowAttachmentReaders } from './attachment-access.ts';
export type { ObjectRef } from './attachment-repository.ts';
export {
  attachFile,
  detachAll,
  detachAllUnder,
  detachFile,
  listAttachments,
  listAttachmentsOf,
} from './attachment-service.ts';
export { type CleanUpReport, cleanUpFiles } from './cleanup-service.ts';
export { fileNotFoundCode } from './errors.ts';
// The type of `app.files`: reading a user's file as a stream, storing bytes as a new file.
export type { FileStore } from './file-store.ts';
export { filesModule } from './module.ts';
export { PURPOSES, type Purpose } from './purposes.ts';
// The file object's schema, for modules whose objects carry their attachments (a message's `attachments`).
export { type FileDto, FileObject } from './schemas.ts';
