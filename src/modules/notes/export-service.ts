import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { ZipFile } from 'yazl';
import type { Db } from '../../db/database.ts';
import { noteColumns } from './note-repository.ts';
import { notebookPaths } from './notebook-repository.ts';
import { safeName, toMarkdown } from './portable.ts';

/** GET /api/notes/export: every note (not in the trash) as a markdown file in a zip, streamed. */

const BATCH = 200;

export async function exportNotes(db: Db, userId: string): Promise<Readable> {
  const paths = await notebookPaths(db, userId);
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  // Filled batch by batch (keyset on id) while the zip streams out: memory holds one batch.
  void (async () => {
    const used = new Set<string>();
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
        for (const row of rows) {
          const notebook = row.notebook_id ? (paths.get(row.notebook_id) ?? []) : [];
          const folder = notebook.map((part) => safeName(part, 'notebook')).join('/');
          let name = `${folder ? `${folder}/` : ''}${safeName(row.title, 'Untitled')}`;
          if (used.has(name.toLowerCase())) name = `${name} (${row.id.slice(0, 8)})`;
          used.add(name.toLowerCase());
          const markdown = toMarkdown({
            id: row.id,
            title: row.title,
            body: row.body,
            tags: row.tags,
            notebook,
            pinned: row.pinned,
            archived: row.archived,
            createdAt: row.created_at.toISOString(),
            updatedAt: row.updated_at.toISOString(),
          });
          zip.addBuffer(Buffer.from(markdown), `${name}.md`, { mtime: row.updated_at });
        }
        if (rows.length < BATCH) break;
        after = (rows[rows.length - 1] as { id: string }).id;
      }
      zip.end();
    } catch (error) {
      output.destroy(error as Error);
    }
  })();
  return output;
}
