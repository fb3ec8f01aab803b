import type { FastifyRequest } from 'fastify';
import { expectedVersion } from '../../core/etag.ts';
import { noteChanged, preconditionRequired } from './errors.ts';
import { toNote } from './mappers.ts';
import type { NoteRow } from './note-repository.ts';

/**
 * What a write's `If-Match` asks for: a version, `any` (`If-Match: *`, a deliberate overwrite), or
 * nothing at all — which a note's PATCH and DELETE refuse (428): an offline client that forgot
 * the header would otherwise silently overwrite edits made meanwhile.
 */
export type Expected = number | 'any' | 'missing';

export function expectedOf(request: FastifyRequest): Expected {
  if (request.headers['if-match'] === undefined) return 'missing';
  return expectedVersion(request) ?? 'any';
}

/** 428 without If-Match (when required), 412 with the current note when it moved on. */
export function checkPrecondition(row: NoteRow, expected: Expected, required = true) {
  if (expected === 'missing') {
    if (required) throw preconditionRequired();
    return;
  }
  if (expected !== 'any' && expected !== row.version) throw noteChanged(toNote(row));
}
