import { DateTime } from 'luxon';
import { AppError } from '../../../core/errors.ts';
import type { Db, Trx } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { isoDate, nextOccurrenceDate } from '../../../lib/recurrence.ts';
import { rollUp } from '../transactions/rollup.ts';
import { checkTransaction } from '../transactions/transaction-check.ts';
import { insertTransactions } from '../transactions/transaction-repository.ts';
import * as repo from './recurring-repository.ts';

/**
 * Makes every occurrence of every rule that is due by `today`: one transaction per occurrence.
 * A rule's `next_date` is where it stands; each run walks from there to today, so a server that
 * was down for a week makes the whole week on its next run. The unique key (rule, occurrence date)
 * is what guarantees "never twice": if a run dies after inserting and before advancing the rule,
 * or two runners race, the repeated inserts are skipped by the database, not by hope. Each rule
 * is caught up in its own transaction, locked with SKIP LOCKED so concurrent runners share the work.
 */

/** Occurrences one rule makes in one transaction; a longer backlog continues in the next. */
const BATCH = 500;

export interface RunReport {
  created: number;
  failed: Array<{ recurringId: string; reason: string }>;
}

export async function runDueRules(db: Db, today: string): Promise<RunReport> {
  const report: RunReport = { created: 0, failed: [] };
  const stuck = new Set<string>();
  for (;;) {
    const due = (await repo.dueRuleIds(db, today, 100 + stuck.size)).filter((rule) => !stuck.has(rule.id));
    if (due.length === 0) return report;
    for (const { id } of due) {
      try {
        const made = await inTransaction(db, (trx) => catchUp(trx, id, today));
        if (made === null) stuck.add(id);
        else report.created += made;
      } catch (error) {
        // A rule whose account or category went away cannot make its transaction: it waits, and
        // says why, instead of stopping every other rule's run.
        if (!(error instanceof AppError)) throw error;
        stuck.add(id);
        report.failed.push({
          recurringId: id,
          reason: error.errors?.map((e) => `${e.field} ${e.message}`).join('; ') ?? error.message,
        });
      }
    }
  }
}

/** Catches one rule up; the number of transactions it made, or null when another runner holds it. */
async function catchUp(trx: Trx, id: string, today: string): Promise<number | null> {
  const rule = await repo.lockDueRule(trx, id, today);
  if (!rule?.next_date) return null;
  const template = rule.template;
  const checked = await checkTransaction(
    trx,
    rule.user_id,
    {
      kind: template.kind,
      accountId: rule.account_id,
      date: rule.next_date,
      amount: template.amount,
      payeeId: template.payeeId,
      note: template.note,
      categoryId: template.categoryId,
      toAccountId: template.toAccountId ?? undefined,
      toAmount: template.toAmount ?? undefined,
    },
    'recurring',
  );
  const items = [];
  let date: string | null = rule.next_date;
  let made = rule.made;
  while (date !== null && date <= today && items.length < BATCH) {
    items.push({
      tx: { ...checked, date, lines: checked.lines },
      origin: { recurringId: rule.id, occurrenceDate: date },
    });
    made += 1;
    const next = nextOccurrenceDate(DateTime.fromISO(date, { zone: 'UTC' }), rule.rule, made);
    date = next ? isoDate(next) : null;
  }
  const ids = (await insertTransactions(trx, rule.user_id, items, { onConflictSkip: true })).filter(
    (inserted): inserted is string => inserted !== null,
  );
  await rollUp(trx, ids, 1);
  await repo.advanceRule(trx, rule.id, date, made);
  return ids.length;
}
