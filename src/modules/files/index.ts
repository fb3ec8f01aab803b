/**
 * The files module's public face: what other modules (notes, expenses, quizzes) use to hold
 * files. A module stores the file ids its objects carry by attaching them here, inside its own
 * transaction when it has one; the reference count this keeps is what stops a held file from
 * being deleted or cleaned up.
 */

export type { ObjectRef } from './attachment-repository.ts';
export { attachFile, detachAll, detachFile, listAttachments } from './attachment-service.ts';
export { type CleanUpReport, cleanUpFiles } from './cleanup-service.ts';
export { filesModule } from './module.ts';
export { PURPOSES, type Purpose } from './purposes.ts';
export { type FileDto, FileObject } from './schemas.ts';
