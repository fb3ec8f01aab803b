import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp, ReadOnly, UpdatedAt } from '../../db/column-types.ts';

/** The tables the notes module owns (migration 20261202010000_notes.ts), as Kysely sees them. */

type Version = ColumnType<number, number | undefined, number>;
type Tags = ColumnType<string[], string[] | undefined, string[]>;

export interface NoteNotebooksTable {
  id: Generated<string>;
  owner_id: string;
  parent_id: string | null;
  name: string;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface NoteSyncStateTable {
  owner_id: string;
  last_seq: ColumnType<number, number | undefined, number>;
  pruned_seq: ColumnType<number, number | undefined, number>;
}

export interface NotesTable {
  owner_id: string;
  id: string;
  notebook_id: string | null;
  title: string;
  body: string;
  tags: Tags;
  all_tags: Tags;
  pinned: ColumnType<boolean, boolean | undefined, boolean>;
  archived: ColumnType<boolean, boolean | undefined, boolean>;
  version: Version;
  sync_seq: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  trashed_at: NullableTimestamp;
  search: ReadOnly<string>;
}

export interface NoteTombstonesTable {
  owner_id: string;
  sync_seq: number;
  note_id: string;
  deleted_at: CreatedAt;
}

export interface NoteRevisionsTable {
  owner_id: string;
  note_id: string;
  rev: number;
  author_id: string | null;
  title: string;
  body: string;
  tags: string[];
  notebook_id: string | null;
  restored_from: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface NoteLinksTable {
  owner_id: string;
  source_id: string;
  target_id: string | null;
  target_title: string | null;
}

export interface NoteSharesTable {
  id: Generated<string>;
  owner_id: string;
  note_id: string;
  token_hash: Buffer;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface NoteImportsTable {
  id: Generated<string>;
  owner_id: string;
  format: 'zip' | 'enex';
  status: ColumnType<'queued' | 'done' | 'failed', 'queued' | undefined, 'done' | 'failed'>;
  content: Buffer | null;
  imported: ColumnType<number, number | undefined, number>;
  skipped: ColumnType<Array<{ name: string; reason: string }>, string | undefined, string>;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

export interface NotesTables {
  note_imports: NoteImportsTable;
  note_notebooks: NoteNotebooksTable;
  note_sync_state: NoteSyncStateTable;
  notes: NotesTable;
  note_tombstones: NoteTombstonesTable;
  note_revisions: NoteRevisionsTable;
  note_links: NoteLinksTable;
  note_shares: NoteSharesTable;
}
