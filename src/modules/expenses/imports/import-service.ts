import { unprocessable } from '../../../core/errors.ts';
import type { Db } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { accountsByIds } from '../accounts/account-repository.ts';
import { importNotFound, importUndone } from '../errors.ts';
import { createdCursor, createdPage } from '../paging.ts';
import { rollUp } from '../transactions/rollup.ts';
import { deleteTransactions, insertTransactions } from '../transactions/transaction-repository.ts';
import { readCsv } from './csv-detect.ts';
import { applyOverrides, createPayees, newPayees, resolveLabels, unknownCategories } from './import-labels.ts';
import * as repo from './import-repository.ts';
import { classify, draftRows, type Row } from './import-rows.ts';
import type { CommitOptions, ImportOptions } from './import-schemas.ts';

/** CSV import: preview, commit chosen rows as one batch, undo a batch as a whole. */

async function accountCurrency(db: Db, userId: string, accountId: string) {
  const [account] = await accountsByIds(db, userId, [accountId]);
  if (!account) throw unprocessable([{ field: 'body.accountId', message: 'is not one of your accounts' }]);
  if (account.archived_at) throw unprocessable([{ field: 'body.accountId', message: 'is archived' }]);
  return account.currency;
}

async function rowsOf(db: Db, userId: string, input: ImportOptions) {
  const currency = await accountCurrency(db, userId, input.accountId);
  const parsed = readCsv(input.csv, input, input.fileId ? 'body.fileId' : 'body.csv');
  const rows = await classify(db, input.accountId, draftRows(parsed, currency));
  await resolveLabels(db, userId, rows);
  return { parsed, rows, currency };
}

export async function preview(db: Db, userId: string, input: ImportOptions) {
  const { parsed, rows } = await rowsOf(db, userId, input);
  const counts = { new: 0, duplicate: 0, possible_duplicate: 0, invalid: 0 };
  for (const row of rows) counts[row.status] += 1;
  return {
    delimiter: parsed.delimiter,
    dateFormat: parsed.dateFormat ?? null,
    decimalSeparator: parsed.decimalSeparator,
    columns: parsed.columns,
    mapping: parsed.mapping,
    counts,
    rows: rows.map(({ importKey: _, ...row }) => row),
    unknownCategories: unknownCategories(rows),
    newPayees: newPayees(rows.filter((row) => row.status !== 'invalid')),
  };
}

function toBatch(row: repo.BatchRow) {
  return {
    id: row.id,
    accountId: row.account_id,
    fileName: row.file_name,
    rowCount: row.row_count,
    undone: row.undone_at !== null,
    undoneAt: row.undone_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Imports the chosen lines (default: the new ones) as one batch. Duplicates are never imported,
 * even when chosen; a possible duplicate is, when chosen. The unique keys (bank id, import key)
 * make a concurrent or repeated commit of the same file skip what is already there.
 */
export async function commit(db: Db, userId: string, input: CommitOptions) {
  return inTransaction(db, async (trx) => {
    const { rows, currency } = await rowsOf(trx, userId, input);
    const byLine = new Map(rows.map((row) => [row.line, row]));
    const unknown = (input.lines ?? []).filter((line) => !byLine.has(line));
    const errors = unknown.length
      ? [{ field: 'body.lines', message: `are not rows of the file: ${unknown.slice(0, 20).join(', ')}` }]
      : [];
    errors.push(...(await applyOverrides(trx, userId, rows, input.overrides ?? [])));
    if (errors.length) throw unprocessable(errors);
    const chosen = input.lines
      ? input.lines.map((line) => byLine.get(line) as Row)
      : rows.filter((r) => r.status === 'new');
    const importable = chosen.filter((row) => row.status === 'new' || row.status === 'possible_duplicate');
    await createPayees(trx, userId, importable);
    const batch = await repo.insertBatch(trx, userId, input.accountId, input.fileName ?? null);
    const inserted = await insertTransactions(
      trx,
      userId,
      importable.map((row) => ({
        tx: {
          kind: row.kind as 'expense' | 'income',
          accountId: input.accountId,
          date: row.date as string,
          amount: row.amount as string,
          currency,
          payeeId: row.payeeId,
          note: row.description,
          lines: [{ amount: row.amount as string, categoryId: row.categoryId, tagIds: [], memo: '' }],
          transfer: null,
        },
        origin: { importBatchId: batch.id, bankId: row.bankId, importKey: row.importKey ?? undefined },
      })),
      { onConflictSkip: true },
    );
    const ids = inserted.filter((id): id is string => id !== null);
    await rollUp(trx, ids, 1);
    await repo.setBatchCount(trx, batch.id, ids.length);
    const skipped = chosen.filter((row) => !importable.includes(row)).map(({ line, status }) => ({ line, status }));
    const uncategorised = unknownCategories(importable.filter((_, i) => inserted[i] !== null));
    return { batch: toBatch({ ...batch, row_count: ids.length }), skipped, uncategorised };
  });
}

export async function getBatch(db: Db, userId: string, id: string) {
  const row = await repo.findBatch(db, userId, id);
  if (!row) throw importNotFound();
  return toBatch(row);
}

export async function listBatches(db: Db, userId: string, query: { limit: number; cursor?: string }) {
  const { scope, after } = createdCursor('expense-imports', {}, query);
  const rows = await repo.listBatches(db, userId, { limit: query.limit, after });
  return createdPage(rows, query.limit, scope, toBatch);
}

/** Removes every transaction the batch made (whatever was edited since), in one transaction. */
export async function undo(db: Db, userId: string, id: string) {
  await inTransaction(db, async (trx) => {
    const batch = await repo.findBatch(trx, userId, id, { lock: true });
    if (!batch) throw importNotFound();
    if (batch.undone_at) throw importUndone();
    const ids = await repo.batchTransactionIds(trx, id);
    await rollUp(trx, ids, -1);
    await deleteTransactions(trx, ids);
    await repo.markUndone(trx, id);
  });
  return getBatch(db, userId, id);
}
