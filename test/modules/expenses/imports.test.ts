import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { account, as, createUser, expense, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

// A German bank's export: semicolons, dd.MM.yyyy, comma decimals, two identical coffees on one day.
const BANK = [
  'Buchungstag;Verwendungszweck;Betrag',
  '02.03.2026;Coffee;-3,50',
  '02.03.2026;Coffee;-3,50',
  '03.03.2026;Salary;2.500,00',
  '05.03.2026;Groceries;-42,10',
  '06.03.2026;Broken;abc',
].join('\n');

const statuses = (rows: Array<{ line: number; status: string }>) => rows.map((r) => [r.line, r.status]);

describe('CSV import and export', () => {
  test('preview detects the format; identical rows stay; possible duplicates are proposed; invalid rows name their line', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR');
    const handmade = await expense(app, alice, eur.id, '42.10', '2026-03-04');
    const res = await call('POST', '/api/expenses/imports/preview', { accountId: eur.id, csv: BANK });
    assert.equal(res.statusCode, 200, res.body);
    const preview = res.json();
    assert.deepEqual(
      [preview.delimiter, preview.dateFormat, preview.decimalSeparator, preview.mapping],
      [';', 'dd.MM.yyyy', ',', { date: 'Buchungstag', amount: 'Betrag', description: 'Verwendungszweck' }],
    );
    assert.deepEqual(statuses(preview.rows), [
      [2, 'new'],
      [3, 'new'],
      [4, 'new'],
      [5, 'possible_duplicate'],
      [6, 'invalid'],
    ]);
    assert.deepEqual(
      preview.rows.slice(0, 4).map((r: { date: string; amount: string; kind: string }) => [r.date, r.amount, r.kind]),
      [
        ['2026-03-02', '3.5', 'expense'],
        ['2026-03-02', '3.5', 'expense'],
        ['2026-03-03', '2500', 'income'],
        ['2026-03-05', '42.1', 'expense'],
      ],
    );
    assert.equal(preview.rows[3].match, handmade.id);
    assert.deepEqual(preview.rows[4].errors, [{ field: 'line 6.amount', message: '"abc" in Betrag is not an amount' }]);
    assert.deepEqual(preview.counts, { new: 3, duplicate: 0, possible_duplicate: 1, invalid: 1 });
  });

  test('commit imports new rows as one batch; re-import adds nothing; undo removes the batch', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR', { openingBalance: '0.00' });
    const committed = await call('POST', '/api/expenses/imports', {
      accountId: eur.id,
      csv: BANK,
      fileName: 'march.csv',
    });
    assert.equal(committed.statusCode, 201, committed.body);
    const { batch, skipped } = committed.json();
    assert.deepEqual([batch.rowCount, batch.fileName, batch.undone, skipped], [4, 'march.csv', false, []]);
    const balance = async () => (await call('GET', `/api/expenses/accounts/${eur.id}`)).json().balance;
    assert.equal(await balance(), '2450.90');
    const coffees = (await call('GET', `/api/expenses/transactions?q=coffee&accountId=${eur.id}`)).json().items;
    assert.equal(coffees.length, 2, 'two real identical coffees both stay');

    const again = await call('POST', '/api/expenses/imports/preview', { accountId: eur.id, csv: BANK });
    assert.deepEqual(statuses(again.json().rows).slice(0, 4), [
      [2, 'duplicate'],
      [3, 'duplicate'],
      [4, 'duplicate'],
      [5, 'duplicate'],
    ]);
    const second = await call('POST', '/api/expenses/imports', { accountId: eur.id, csv: BANK, lines: [2, 3, 6] });
    assert.equal(second.json().batch.rowCount, 0);
    assert.deepEqual(second.json().skipped, [
      { line: 2, status: 'duplicate' },
      { line: 3, status: 'duplicate' },
      { line: 6, status: 'invalid' },
    ]);
    assert.equal(await balance(), '2450.90');

    const undone = await call('POST', `/api/expenses/imports/${batch.id}/undo`);
    assert.equal(undone.statusCode, 200, undone.body);
    assert.equal(undone.json().undone, true);
    assert.equal(await balance(), '0.00');
    assertProblem(await call('POST', `/api/expenses/imports/${batch.id}/undo`), 409, 'IMPORT_UNDONE');
    assert.equal((await call('GET', '/api/expenses/imports')).json().items.length, 2);
  });

  test('bank ids decide duplicates; a chosen possible duplicate is imported; mappings can be overridden', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const usd = await account(app, alice, 'USD');
    await expense(app, alice, usd.id, '10.00', '2026-01-02');
    const csv = 'Ref,Posted,Payee,Out,In\nA1,01/03/2026,Shop,10.00,\nA2,01/04/2026,Refund,,5.25\n';
    const options = { accountId: usd.id, csv, dateFormat: 'MM/dd/yyyy' };
    const preview = (await call('POST', '/api/expenses/imports/preview', options)).json();
    assert.deepEqual(preview.mapping, {
      bankId: 'Ref',
      date: 'Posted',
      debit: 'Out',
      credit: 'In',
      description: 'Payee',
    });
    assert.deepEqual(statuses(preview.rows), [
      [2, 'possible_duplicate'],
      [3, 'new'],
    ]);
    const first = (await call('POST', '/api/expenses/imports', { ...options, lines: [2, 3] })).json();
    assert.equal(first.batch.rowCount, 2);
    const renamed = 'Ref,Posted,Payee,Out,In\nA1,01/03/2026,Shop renamed,10.00,\n';
    const rerun = (await call('POST', '/api/expenses/imports/preview', { ...options, csv: renamed })).json();
    assert.deepEqual(statuses(rerun.rows), [[2, 'duplicate']]);
    const wrong = await call('POST', '/api/expenses/imports/preview', { ...options, mapping: { date: 'When' } });
    assert.deepEqual(fieldsOf(wrong), ['body.mapping.date']);
  });

  test('export streams every transaction as CSV, with the list filters', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR');
    for (let day = 1; day <= 3; day += 1)
      await expense(app, alice, eur.id, `${day}.00`, `2026-04-0${day}`, { note: `note, "${day}"` });
    const res = await call('GET', '/api/expenses/exports/transactions.csv?from=2026-04-02');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    const records: Array<Record<string, string>> = parse(res.body, { columns: true });
    assert.deepEqual(
      records.map((r: Record<string, string>) => [r.date, r.total, r.note]),
      [
        ['2026-04-03', '3.00', 'note, "3"'],
        ['2026-04-02', '2.00', 'note, "2"'],
      ],
    );
  });

  test('422 field errors, another user 404, 401, idempotent commit', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR');
    const bobs = await account(app, bob, 'EUR');
    assert.deepEqual(fieldsOf(await call('POST', '/api/expenses/imports/preview', { accountId: bobs.id, csv: BANK })), [
      'body.accountId',
    ]);
    assert.deepEqual(
      fieldsOf(await call('POST', '/api/expenses/imports/preview', { accountId: eur.id, csv: 'only,a,header' })),
      ['body.csv'],
    );
    assert.deepEqual(
      fieldsOf(await call('POST', '/api/expenses/imports', { accountId: eur.id, csv: BANK, lines: [99] })),
      ['body.lines'],
    );
    assert.deepEqual(fieldsOf(await call('POST', '/api/expenses/imports', { accountId: 'x' })), ['body.accountId']);
    assert.deepEqual(fieldsOf(await call('POST', '/api/expenses/imports', { accountId: eur.id })), ['body.csv']);
    const headers = { 'idempotency-key': 'import-1' };
    const first = await call('POST', '/api/expenses/imports', { accountId: eur.id, csv: BANK }, headers);
    const again = await call('POST', '/api/expenses/imports', { accountId: eur.id, csv: BANK }, headers);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json(), first.json());
    const url = `/api/expenses/imports/${first.json().batch.id}`;
    assertProblem(await as(app, bob)('GET', url), 404, 'IMPORT_NOT_FOUND');
    assertProblem(await as(app, bob)('POST', `${url}/undo`), 404, 'IMPORT_NOT_FOUND');
    assertProblem(await as(app, null)('GET', '/api/expenses/imports'), 401, 'UNAUTHORIZED');
    assertProblem(await as(app, null)('GET', '/api/expenses/exports/transactions.csv'), 401, 'UNAUTHORIZED');
  });
});
