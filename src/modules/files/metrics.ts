import { Counter, Gauge, type Registry } from 'prom-client';
import type { Db } from '../../db/database.ts';

export interface FilesMetrics {
  uploads: Counter<'driver'>;
  uploadedBytes: Counter<'driver'>;
  failures: Counter<'reason'>;
  previews: Counter;
}

/** Prometheus metrics of the files module, on the app's registry. */
export function filesMetrics(registry: Registry, db: Db): FilesMetrics {
  new Gauge({
    name: 'files_stored_bytes',
    help: 'Bytes held by ready files (previews not counted)',
    registers: [registry],
    // Read at scrape time from the rows, so every instance reports the same truth.
    async collect() {
      const { bytes } = await db
        .selectFrom('files')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'))
        .where('status', '=', 'ready')
        .executeTakeFirstOrThrow();
      this.set(Number(bytes));
    },
  });
  return {
    uploads: new Counter({
      name: 'files_uploads_total',
      help: 'Files stored, by storage driver',
      labelNames: ['driver'],
      registers: [registry],
    }),
    uploadedBytes: new Counter({
      name: 'files_uploaded_bytes_total',
      help: 'Bytes of files stored, by storage driver',
      labelNames: ['driver'],
      registers: [registry],
    }),
    failures: new Counter({
      name: 'files_upload_failures_total',
      help: 'Uploads refused or failed, by error code',
      labelNames: ['reason'],
      registers: [registry],
    }),
    previews: new Counter({
      name: 'files_previews_generated_total',
      help: 'Image previews generated (each one once, then kept)',
      registers: [registry],
    }),
  };
}
