import { sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import { afterCreated } from '../paging.ts';

/** SQL for import batches and for finding what a file's rows duplicate. */

/** Transactions of the account that carry one of these bank ids or import keys. */
export async function existingKeys(db: Db, accountId: string, bankIds: string[], importKeys: string[]) {
  const rows = await db
    .selectFrom('expense_transactions')
    .select(['id', 'bank_id', 'import_key'])
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        ...(bankIds.length ? [eb('bank_id', 'in', bankIds)] : []),
        ...(importKeys.length ? [eb('import_key', 'in', importKeys)] : []),
        eb.val(false),
      ]),
    )
    .execute();
  return rows;
}

/** The account's transactions between two dates (the window possible duplicates are looked for in). */
export function transactionsBetween(db: Db, accountId: string, from: string, to: string) {
  return db
    .selectFrom('expense_transactions')
    .select(['id', sql<string>`date::text`.as('date'), sql<string>`amount::text`.as('amount'), 'kind'])
    .where('account_id', '=', accountId)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .orderBy('id')
    .execute();
}

const batchColumns = ['id', 'user_id', 'account_id', 'file_name', 'row_count', 'undone_at', 'created_at'] as const;

export async function insertBatch(trx: Trx, userId: string, accountId: string, fileName: string | null) {
  return trx
    .insertInto('expense_import_batches')
    .values({ user_id: userId, account_id: accountId, file_name: fileName })
    .returning(batchColumns)
    .executeTakeFirstOrThrow();
}

export async function setBatchCount(trx: Trx, id: string, rowCount: number) {
  await trx.updateTable('expense_import_batches').set({ row_count: rowCount }).where('id', '=', id).execute();
}

export function findBatch(db: Db, userId: string, id: string, options: { lock?: boolean } = {}) {
  let query = db
    .selectFrom('expense_import_batches')
    .select(batchColumns)
    .where('user_id', '=', userId)
    .where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export type BatchRow = NonNullable<Awaited<ReturnType<typeof findBatch>>>;

export function listBatches(db: Db, userId: string, options: { limit: number; after?: [string, string] | undefined }) {
  let query = db
    .selectFrom('expense_import_batches as b')
    .select(batchColumns.map((c) => `b.${c}` as const))
    .where('b.user_id', '=', userId)
    .orderBy('b.created_at')
    .orderBy('b.id')
    .limit(options.limit + 1);
  if (options.after) query = query.where(afterCreated('b', options.after));
  return query.execute();
}

export async function batchTransactionIds(db: Db, batchId: string) {
  const rows = await db
    .selectFrom('expense_transactions')
    .select('id')
    .where('import_batch_id', '=', batchId)
    .execute();
  return rows.map((row) => row.id);
}

export async function markUndone(trx: Trx, id: string) {
  await trx.updateTable('expense_import_batches').set({ undone_at: new Date() }).where('id', '=', id).execute();
}
