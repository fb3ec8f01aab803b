import type { FileRow } from './file-repository.ts';
import type { FileDto } from './schemas.ts';

/** The one place a files row becomes an API object. */
export function toFile(row: FileRow): FileDto {
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    contentType: row.content_type,
    sha256: row.sha256 ?? '',
    ...(row.width !== null && row.height !== null ? { width: row.width, height: row.height } : {}),
    createdAt: row.created_at.toISOString(),
  };
}
