import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { unprocessable } from '../../../core/errors.ts';
import { MAX_CSV_BYTES } from './import-schemas.ts';

/** Types an uploaded bank export may have: sniffing calls text without a known extension plain text. */
const CSV_TYPES = new Set(['text/csv', 'text/plain']);

/** Opens the caller's file by id (the files module's, through its index.ts); FILE_NOT_FOUND for anyone else's. */
export type OpenFile = (
  fileId: string,
) => Promise<{ file: { name: string; contentType: string; size: number }; stream: Readable }>;

/**
 * The CSV an import reads: the body's `csv`, or the bytes of the caller's uploaded file `fileId`
 * (another user's file is FILE_NOT_FOUND, 404, as everywhere a file id is given). Exactly one of
 * the two; a file must be text, UTF-8, and no larger than a body's CSV may be.
 */
export async function csvSource(
  open: OpenFile,
  input: { csv?: string | undefined; fileId?: string | undefined; fileName?: string | undefined },
): Promise<{ csv: string; fileName: string | undefined }> {
  if (input.csv !== undefined && input.fileId !== undefined) {
    throw unprocessable([{ field: 'body.fileId', message: 'give either csv or fileId, not both' }]);
  }
  if (input.csv !== undefined) return { csv: input.csv, fileName: input.fileName };
  if (input.fileId === undefined) {
    throw unprocessable([{ field: 'body.csv', message: 'is required (or give the fileId of an uploaded CSV)' }]);
  }
  const { file, stream } = await open(input.fileId);
  const field = 'body.fileId';
  const refuse = (message: string) => {
    stream.destroy();
    return unprocessable([{ field, message }]);
  };
  if (!CSV_TYPES.has(file.contentType)) throw refuse(`is a ${file.contentType} file, not CSV text`);
  if (file.size > MAX_CSV_BYTES) throw refuse(`is ${file.size} bytes; an import reads at most ${MAX_CSV_BYTES}`);
  let csv: string;
  try {
    csv = new TextDecoder('utf-8', { fatal: true }).decode(await buffer(stream));
  } catch {
    throw refuse('is not UTF-8 text; export the CSV as UTF-8');
  }
  return { csv, fileName: input.fileName ?? file.name };
}
