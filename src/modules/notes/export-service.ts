import { PassThrough, Readable } from 'node:stream';
import { sql } from 'kysely';
import { ZipFile } from 'yazl';
import type { Db } from '../../db/database.ts';
import { type FileDto, type FileStore, listAttachmentsOf } from '../files/index.ts';
import { noteObject } from './context.ts';
import { noteColumns } from './note-repository.ts';
import { notebookPaths } from './notebook-repository.ts';
import { type PortableAttachment, portableLinks, safeName, toMarkdown } from './portable.ts';

/**
 * GET /api/notes/export: every note (not in the trash) as a markdown file in a zip, streamed, with
 * the files each note holds under `attachments/<fileId>/<name>` (listed in its front matter).
 */

const BATCH = 200;

/** Where a file's bytes go in the zip: one folder per file id, so two files named alike never clash. */
const attachmentPath = (file: FileDto) => `attachments/${file.id}/${safeName(file.name, 'file')}`;

/**
 * Resolves when `output` can take more: the zip is filled batch by batch only as fast as the client
 * reads it, so a slow client holds up the database reads instead of piling batches up in memory.
 * Rejects when the client is gone (the reply destroyed the stream).
 */
function whenDrained(output: PassThrough, reached: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const closed = () => reject(new Error('the export stream closed before it was written'));
    if (output.destroyed) return closed();
    output.once('close', closed);
    void reached.then(() => {
      if (!output.writableNeedDrain) return done();
      output.once('drain', done);
    });
    function done() {
      output.off('close', closed);
      output.off('drain', done);
      resolve();
    }
  });
}

export async function exportNotes(db: Db, files: FileStore, userId: string): Promise<Readable> {
  const paths = await notebookPaths(db, userId);
  const zip = new ZipFile();
  const output = zip.outputStream as PassThrough;
  // A file that cannot be read mid-export (its blob gone) ends the download as a failure, not a
  // zip whose front matter promises bytes it does not carry.
  zip.on('error', (error: Error) => output.destroy(error));

  void (async () => {
    const used = new Set<string>();
    // A file several notes hold goes into the zip once; each note's front matter still lists it.
    const written = new Set<string>();
    let after = '';
    try {
      for (;;) {
        const rows = await db
          .selectFrom('notes as n')
          .select(noteColumns)
          .where('n.owner_id', '=', userId)
          .where('n.trashed_at', 'is', null)
          .where(sql<boolean>`n.id > ${after || '00000000-0000-0000-0000-000000000000'}::uuid`)
          .orderBy('n.id')
          .limit(BATCH)
          .execute();
        // One query for the whole batch's files; only the owner's notes are read, so only their files.
        const attached = await listAttachmentsOf(
          db,
          'note',
          rows.map((row) => noteObject(userId, row.id).objectId),
        );
        // Resolved when yazl starts on the batch's last entry, i.e. everything before it is written.
        let markReached = () => {};
        const reached = new Promise<void>((resolve) => {
          markReached = resolve;
        });
        rows.forEach((row, index) => {
          const notebook = row.notebook_id ? (paths.get(row.notebook_id) ?? []) : [];
          const folder = notebook.map((part) => safeName(part, 'notebook')).join('/');
          let name = `${folder ? `${folder}/` : ''}${safeName(row.title, 'Untitled')}`;
          if (used.has(name.toLowerCase())) name = `${name} (${row.id.slice(0, 8)})`;
          used.add(name.toLowerCase());
          const noteFiles = attached.get(noteObject(userId, row.id).objectId) ?? [];
          const attachments: PortableAttachment[] = noteFiles.map((file) => ({
            id: file.id,
            name: file.name,
            path: attachmentPath(file),
            contentType: file.contentType,
            size: file.size,
            sha256: file.sha256,
          }));
          const markdown = toMarkdown({
            id: row.id,
            title: row.title,
            body: portableLinks(row.body, `${name}.md`, attachments),
            tags: row.tags,
            notebook,
            pinned: row.pinned,
            archived: row.archived,
            createdAt: row.created_at.toISOString(),
            updatedAt: row.updated_at.toISOString(),
            attachments,
          });
          const toWrite = noteFiles.filter((file) => !written.has(file.id));
          for (const file of toWrite) written.add(file.id);
          const last = index === rows.length - 1;
          // Lazy entries: yazl asks for the stream when it reaches the entry, so a batch holds no
          // open files or S3 connections until their turn, and bytes flow through with backpressure.
          zip.addReadStreamLazy(`${name}.md`, { mtime: row.updated_at }, (callback) => {
            if (last && !toWrite.length) markReached();
            callback(null, Readable.from([Buffer.from(markdown)]));
          });
          toWrite.forEach((file, fileIndex) => {
            zip.addReadStreamLazy(
              attachmentPath(file),
              { mtime: new Date(file.createdAt), size: file.size },
              (callback) => {
                if (last && fileIndex === toWrite.length - 1) markReached();
                files.read(userId, file.id).then(
                  ({ stream }) => callback(null, stream),
                  (error: unknown) => callback(error, new PassThrough()),
                );
              },
            );
          });
        });
        if (rows.length < BATCH) break;
        await whenDrained(output, reached);
        after = (rows[rows.length - 1] as { id: string }).id;
      }
      zip.end();
    } catch (error) {
      output.destroy(error as Error);
    }
  })();
  return output;
}
