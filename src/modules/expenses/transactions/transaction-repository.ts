import { sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import type { CheckedTransaction } from './transaction-check.ts';

/** SQL for writing and reading transactions with their lines and tags. Lists: `transaction-list-query.ts`. */

export function transactionColumns() {
  return [
    't.id',
    't.user_id',
    't.kind',
    't.account_id',
    sql<string>`t.date::text`.as('date'),
    sql<string>`t.amount::text`.as('amount'),
    't.currency',
    't.payee_id',
    't.note',
    't.transfer_account_id',
    sql<string | null>`t.transfer_amount::text`.as('transfer_amount'),
    't.transfer_currency',
    't.recurring_id',
    sql<string | null>`t.occurrence_date::text`.as('occurrence_date'),
    't.import_batch_id',
    't.bank_id',
    't.version',
    't.created_at',
    't.updated_at',
    sql<boolean>`coalesce((select t.amount not between coalesce(r.expected_min, t.amount) and coalesce(r.expected_max, t.amount)
      from expense_recurring r where r.id = t.recurring_id), false)`.as('out_of_range'),
  ] as const;
}

export function findTransaction(db: Db, userId: string, id: string, options: { lock?: boolean } = {}) {
  let query = db
    .selectFrom('expense_transactions as t')
    .select(transactionColumns())
    .where('t.user_id', '=', userId)
    .where('t.id', '=', id);
  if (options.lock) query = query.forUpdate('t');
  return query.executeTakeFirst();
}

export type TransactionRow = NonNullable<Awaited<ReturnType<typeof findTransaction>>>;

/** The lines (with their tag ids) of the given transactions, in order. */
export function linesOf(db: Db, transactionIds: string[]) {
  if (transactionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('expense_lines as l')
    .select([
      'l.id',
      'l.transaction_id',
      sql<string>`l.amount::text`.as('amount'),
      'l.category_id',
      'l.memo',
      sql<string[]>`array(select lt.tag_id::text from expense_line_tags lt where lt.line_id = l.id order by 1)`.as(
        'tag_ids',
      ),
    ])
    .where('l.transaction_id', 'in', transactionIds)
    .orderBy('l.transaction_id')
    .orderBy('l.position')
    .execute();
}

export type LineRow = Awaited<ReturnType<typeof linesOf>>[number];

/** Where a stored transaction came from, besides the API. */
export interface Origin {
  recurringId?: string;
  occurrenceDate?: string;
  importBatchId?: string;
  bankId?: string | null;
  importKey?: string;
}

function rowValues(userId: string, tx: CheckedTransaction) {
  return {
    user_id: userId,
    account_id: tx.accountId,
    kind: tx.kind,
    date: tx.date,
    amount: tx.amount,
    currency: tx.currency,
    payee_id: tx.payeeId,
    note: tx.note,
    transfer_account_id: tx.transfer?.toAccountId ?? null,
    transfer_amount: tx.transfer?.toAmount ?? null,
    transfer_currency: tx.transfer?.toCurrency ?? null,
  };
}

/**
 * Inserts transactions with their lines and tags, in as few statements as the batch allows; returns
 * their ids in order. `onConflictSkip` makes a clash on a unique key (a recurring occurrence, an
 * import's bank id) skip the row rather than fail: the caller learns which were new from the ids.
 */
export async function insertTransactions(
  trx: Trx,
  userId: string,
  items: Array<{ tx: CheckedTransaction; origin?: Origin }>,
  options: { onConflictSkip?: boolean } = {},
): Promise<Array<string | null>> {
  if (items.length === 0) return [];
  const ids: Array<string | null> = [];
  for (const { tx, origin = {} } of items) {
    let insert = trx.insertInto('expense_transactions').values({
      ...rowValues(userId, tx),
      recurring_id: origin.recurringId ?? null,
      occurrence_date: origin.occurrenceDate ?? null,
      import_batch_id: origin.importBatchId ?? null,
      bank_id: origin.bankId ?? null,
      import_key: origin.importKey ?? null,
    });
    if (options.onConflictSkip) insert = insert.onConflict((oc) => oc.doNothing());
    const row = await insert.returning('id').executeTakeFirst();
    ids.push(row?.id ?? null);
    if (row) await insertLines(trx, row.id, tx);
  }
  return ids;
}

async function insertLines(trx: Trx, transactionId: string, tx: CheckedTransaction) {
  const lines = await trx
    .insertInto('expense_lines')
    .values(
      tx.lines.map((line, position) => ({
        transaction_id: transactionId,
        position,
        amount: line.amount,
        category_id: line.categoryId,
        memo: line.memo,
        date: tx.date,
      })),
    )
    .returning(['id', 'position'])
    .execute();
  const tags = lines.flatMap((line) =>
    (tx.lines[line.position]?.tagIds ?? []).map((tagId) => ({ line_id: line.id, tag_id: tagId })),
  );
  if (tags.length) await trx.insertInto('expense_line_tags').values(tags).execute();
}

/** Replaces a transaction's fields and its whole split (the caller rolls it out of the roll-up first). */
export async function replaceTransaction(trx: Trx, userId: string, id: string, tx: CheckedTransaction) {
  await trx
    .updateTable('expense_transactions')
    .set({ ...rowValues(userId, tx), version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
  await trx.deleteFrom('expense_lines').where('transaction_id', '=', id).execute();
  await insertLines(trx, id, tx);
}

export async function deleteTransactions(trx: Trx, ids: string[]) {
  if (ids.length) await trx.deleteFrom('expense_transactions').where('id', 'in', ids).execute();
}
