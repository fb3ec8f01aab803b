import { AppError, conflict, notFound, unprocessable } from '../../core/errors.ts';

/** The files module's errors, with the stable codes clients branch on. */

export const fileNotFoundCode = 'FILE_NOT_FOUND';
export const fileNotFound = () => notFound(fileNotFoundCode, 'No such file');

export const fileMissing = () =>
  unprocessable([{ field: 'body.file', message: 'must contain one file part' }], 'The upload carries no file');

export const fileEmpty = () =>
  unprocessable([{ field: 'body.file', message: 'must not be empty' }], 'The uploaded file is empty');

export const notMultipart = () => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Upload files as multipart/form-data');

// An upload refused part-way answers before the client has finished sending: closing the
// connection stops the rest of the body instead of reading (and discarding) all of it.
const cutOff = { connection: 'close' };

export const fileTooLarge = (maxBytes: number) =>
  new AppError(413, 'FILE_TOO_LARGE', `A file may be at most ${maxBytes} bytes`, { headers: cutOff });

export const quotaExceeded = (remainingBytes: number) =>
  new AppError(413, 'QUOTA_EXCEEDED', `This upload exceeds your storage quota: ${remainingBytes} bytes remain`, {
    headers: { ...cutOff, 'files-quota-remaining': String(remainingBytes) },
  });

export const typeNotAllowed = (contentType: string, purpose: string) =>
  new AppError(415, 'FILE_TYPE_NOT_ALLOWED', `Files of type ${contentType} are not accepted as ${purpose}`, {
    headers: cutOff,
  });

export const fileAttached = (count: number) =>
  conflict('FILE_ATTACHED', `The file is attached to ${count} object(s); detach it first`);

export const notAnImage = () =>
  unprocessable([{ field: 'query.width', message: 'previews exist only for images' }], 'This file is not an image');

export const imageUnreadable = () =>
  new AppError(422, 'IMAGE_UNREADABLE', 'The file has an image signature but is not a readable image');

export const linkInvalid = () => new AppError(403, 'LINK_INVALID', 'This link is not valid');
export const linkExpired = () => new AppError(403, 'LINK_EXPIRED', 'This link has expired');

export const directUploadUnavailable = () =>
  conflict('DIRECT_UPLOAD_UNAVAILABLE', 'Direct uploads need the s3 storage driver; upload through POST /api/files');

export const uploadNotPending = () => conflict('UPLOAD_NOT_PENDING', 'This file is not waiting for its upload');

export const uploadIncomplete = () =>
  conflict('UPLOAD_INCOMPLETE', 'The storage holds no object of the declared size for this file yet');
