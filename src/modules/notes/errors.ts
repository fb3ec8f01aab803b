import { AppError, conflict, notFound, preconditionFailed } from '../../core/errors.ts';

/** The notes module's stable error codes, one constructor each, so a code is spelled in one place. */

export const noteNotFound = () => notFound('NOTE_NOT_FOUND', 'No such note');
export const notebookNotFound = () => notFound('NOTEBOOK_NOT_FOUND', 'No such notebook');
export const revisionNotFound = () => notFound('REVISION_NOT_FOUND', 'No such revision of this note');
export const shareNotFound = () => notFound('SHARE_NOT_FOUND', 'No such share link');
export const attachmentNotFound = () => notFound('ATTACHMENT_NOT_FOUND', 'This file is not attached to the note');
export const importNotFound = () => notFound('IMPORT_NOT_FOUND', 'No such import');

export const noteExists = () => conflict('NOTE_EXISTS', 'You already have a note with this id');
export const notebookExists = () => conflict('NOTEBOOK_EXISTS', 'This folder already has a notebook with this name');
export const noteInTrash = () =>
  conflict('NOTE_IN_TRASH', 'The note is in the trash; restore it (POST /api/notes/{id}/restore) first');
export const noteNotInTrash = () => conflict('NOTE_NOT_IN_TRASH', 'The note is not in the trash');

/** 412 with the note as it is now (`current`), so the client can merge and retry. */
export const noteChanged = (current: unknown) =>
  preconditionFailed('The note has changed since you last read it; merge with `current`', current);

/** 412 with the notebook as it is now (`current`). */
export const notebookChanged = (current: unknown) =>
  preconditionFailed('The notebook has changed since you last read it; `current` is what it is now', current);

/** 410: the sync cursor is older than what the feed still remembers (deletions were pruned). */
export const cursorExpired = () =>
  new AppError(410, 'CURSOR_EXPIRED', 'This sync cursor is too old: resync from the start (no cursor)');
