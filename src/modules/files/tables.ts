import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp } from '../../db/column-types.ts';

/** The tables the files module owns (migration 20261201033000_files.ts), as Kysely sees them. */

export type FileStatus = 'uploading' | 'ready' | 'deleted';

export interface FilesTable {
  id: Generated<string>;
  owner_id: string;
  status: ColumnType<FileStatus, FileStatus | undefined, FileStatus>;
  purpose: string;
  name: string;
  content_type: ColumnType<string, string | undefined, string>;
  size: ColumnType<number, number | undefined, number>;
  sha256: ColumnType<string | null, string | null | undefined, string | null>;
  width: ColumnType<number | null, number | null | undefined, number | null>;
  height: ColumnType<number | null, number | null | undefined, number | null>;
  storage_key: string;
  attachment_count: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  unattached_since: NullableTimestamp;
  deleted_at: NullableTimestamp;
}

export interface FileAttachmentsTable {
  file_id: string;
  object_type: string;
  object_id: string;
  created_at: CreatedAt;
}

export interface FilePreviewsTable {
  file_id: string;
  width: number;
  storage_key: string;
  size: number;
  content_type: string;
  created_at: CreatedAt;
}

export interface FilesTables {
  files: FilesTable;
  file_attachments: FileAttachmentsTable;
  file_previews: FilePreviewsTable;
}
