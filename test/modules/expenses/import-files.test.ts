import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { upload } from '../files/support.ts';
import { account, as, createUser, type TestUser } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'gw-expense-imports-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const app: FastifyInstance = await buildTestApp({ STORAGE_LOCAL_DIR: dir });

const BANK = ['Date;Text;Amount', '02.03.2026;Coffee;-3,50', '02.03.2026;Coffee;-3,50', '03.03.2026;Salary;2.500,00'];

async function uploaded(user: TestUser, bytes: Uint8Array, type = 'text/csv', filename = 'march.csv') {
  const res = await upload(app, user.token, bytes, { type, filename });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string };
}

const problemOf = (res: { json(): { errors?: unknown } }) => res.json().errors;

describe('CSV import from an uploaded file', () => {
  test('preview and commit read the uploaded file as the body CSV would; the batch keeps its name; re-import adds nothing', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR', { openingBalance: '0.00' });
    // A BOM and CRLF line ends, as spreadsheet programs write them.
    const file = await uploaded(alice, Buffer.from(`\uFEFF${BANK.join('\r\n')}\r\n`));
    const fromFile = await call('POST', '/api/expenses/imports/preview', { accountId: eur.id, fileId: file.id });
    assert.equal(fromFile.statusCode, 200, fromFile.body);
    const fromBody = await call('POST', '/api/expenses/imports/preview', { accountId: eur.id, csv: BANK.join('\n') });
    assert.deepEqual(fromFile.json(), fromBody.json());
    const committed = await call('POST', '/api/expenses/imports', { accountId: eur.id, fileId: file.id });
    assert.equal(committed.statusCode, 201, committed.body);
    assert.deepEqual([committed.json().batch.rowCount, committed.json().batch.fileName], [3, 'march.csv']);
    const named = await call('POST', '/api/expenses/imports', {
      accountId: eur.id,
      fileId: file.id,
      fileName: 'x.csv',
    });
    assert.deepEqual([named.json().batch.rowCount, named.json().batch.fileName], [0, 'x.csv']);
    assert.equal((await call('GET', `/api/expenses/accounts/${eur.id}`)).json().balance, '2493.00');
  });

  test("another user's file or a missing one is 404; the account is still checked", async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const eur = await account(app, alice, 'EUR');
    const bobs = await uploaded(bob, Buffer.from(BANK.join('\n')));
    for (const url of ['/api/expenses/imports/preview', '/api/expenses/imports']) {
      assertProblem(await as(app, alice)('POST', url, { accountId: eur.id, fileId: bobs.id }), 404, 'FILE_NOT_FOUND');
      const missing = { accountId: eur.id, fileId: '00000000-0000-4000-8000-000000000000' };
      assertProblem(await as(app, alice)('POST', url, missing), 404, 'FILE_NOT_FOUND');
    }
    const theirs = await as(app, bob)('POST', '/api/expenses/imports/preview', { accountId: eur.id, fileId: bobs.id });
    assert.deepEqual(problemOf(theirs), [{ field: 'body.accountId', message: 'is not one of your accounts' }]);
  });

  test('a file that is not CSV text, too large, not UTF-8 or not valid CSV is a 422 on fileId; csv and fileId together or neither are refused', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR');
    const preview = (body: object) => call('POST', '/api/expenses/imports/preview', { accountId: eur.id, ...body });
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    const image = await uploaded(alice, png, 'text/csv', 'statement.csv');
    assert.deepEqual(problemOf(await preview({ fileId: image.id })), [
      { field: 'body.fileId', message: 'is a image/png file, not CSV text' },
    ]);
    const big = await uploaded(alice, Buffer.alloc(5_000_001, 'a'));
    assert.deepEqual(problemOf(await preview({ fileId: big.id })), [
      { field: 'body.fileId', message: 'is 5000001 bytes; an import reads at most 5000000' },
    ]);
    const latin1 = await uploaded(alice, Buffer.from('Date;Text;Amount\n02.03.2026;Caf\xe9;-3,50\n', 'latin1'));
    assert.deepEqual(problemOf(await preview({ fileId: latin1.id })), [
      { field: 'body.fileId', message: 'is not UTF-8 text; export the CSV as UTF-8' },
    ]);
    const headerOnly = await uploaded(alice, Buffer.from('Date;Text;Amount\n'));
    assert.deepEqual(problemOf(await preview({ fileId: headerOnly.id })), [
      { field: 'body.fileId', message: 'needs a header line and at least one row' },
    ]);
    const good = await uploaded(alice, Buffer.from(BANK.join('\n')));
    assertProblem(await preview({ fileId: good.id, csv: BANK.join('\n') }), 422, 'VALIDATION_FAILED');
    assert.deepEqual(problemOf(await preview({ fileId: good.id, csv: BANK.join('\n') })), [
      { field: 'body.fileId', message: 'give either csv or fileId, not both' },
    ]);
    assert.deepEqual(problemOf(await preview({})), [
      { field: 'body.csv', message: 'is required (or give the fileId of an uploaded CSV)' },
    ]);
    const notUuid = await preview({ fileId: 'nope' });
    assert.equal(notUuid.statusCode, 422);
    assert.deepEqual(
      notUuid.json().errors.map((e: { field: string }) => e.field),
      ['body.fileId'],
    );
    // Bad rows of a file name their line, as the body's do.
    const bad = await uploaded(alice, Buffer.from('Date;Text;Amount\n02.03.2026;Coffee;abc\n31.02.2026;Tea;-1,00\n'));
    const rows = (await preview({ fileId: bad.id, dateFormat: 'dd.MM.yyyy' })).json().rows;
    assert.deepEqual(
      rows.map((r: { errors: unknown }) => r.errors),
      [
        [{ field: 'line 2.amount', message: '"abc" in Amount is not an amount' }],
        [{ field: 'line 3.date', message: '"31.02.2026" is not a date in dd.MM.yyyy' }],
      ],
    );
  });

  test('401 before anything else', async () => {
    const res = await as(app, null)('POST', '/api/expenses/imports/preview', { fileId: 'x' });
    assertProblem(res, 401, 'UNAUTHORIZED');
  });
});
