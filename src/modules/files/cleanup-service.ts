import type { Db } from '../../db/database.ts';
import * as repo from './cleanup-repository.ts';
import { deleteFileRow } from './file-repository.ts';
import type { BlobStorage } from './storage/storage.ts';

const BATCH = 100;

export interface CleanUpReport {
  orphans: number;
  stalledUploads: number;
  blobsRemoved: number;
  filesRemoved: number;
  incompleteWrites: number;
}

/**
 * One run of the files clean-up (a scheduled job): files attached to nothing for
 * FILES_ORPHAN_HOURS and uploads that never finished are marked deleted; then every deleted file
 * loses its blobs (previews, then the original) and only after that its row. Each step is safe to
 * repeat, so a run cut short is finished by the next: a row may briefly outlive its blob, but only
 * a deleted row nobody can read, and no blob ever outlives its row.
 */
export async function cleanUpFiles(
  deps: { db: Db; storage: BlobStorage; orphanHours: number },
  now: Date = new Date(),
): Promise<CleanUpReport> {
  const cutoff = new Date(now.getTime() - deps.orphanHours * 3_600_000);
  const report: CleanUpReport = {
    orphans: 0,
    stalledUploads: 0,
    blobsRemoved: 0,
    filesRemoved: 0,
    incompleteWrites: 0,
  };

  let marked: number;
  do {
    marked = await repo.deleteOrphans(deps.db, cutoff, BATCH);
    report.orphans += marked;
  } while (marked === BATCH);
  do {
    marked = await repo.deleteStalledUploads(deps.db, cutoff, BATCH);
    report.stalledUploads += marked;
  } while (marked === BATCH);

  for (;;) {
    const batch = await repo.deletedFiles(deps.db, BATCH);
    for (const file of batch) {
      for (const key of [...file.preview_keys, file.storage_key]) {
        await deps.storage.delete(key);
        report.blobsRemoved += 1;
      }
      await deleteFileRow(deps.db, file.id);
      report.filesRemoved += 1;
    }
    if (batch.length < BATCH) break;
  }

  report.incompleteWrites = (await deps.storage.sweepIncomplete?.(cutoff)) ?? 0;
  return report;
}
