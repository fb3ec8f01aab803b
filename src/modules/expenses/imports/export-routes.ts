import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify';
import { Type } from 'typebox';
import { problemResponses } from '../../../core/schemas.ts';
import type { Db } from '../../../db/database.ts';
import { currentUser } from '../../auth/index.ts';
import { categoryFamily } from '../labels/label-repository.ts';
import { docs } from '../schemas.ts';
import { type TransactionFilters, transactionListQuery } from '../transactions/transaction-list-query.ts';
import { TransactionQuery } from '../transactions/transaction-schemas.ts';
import { withLines } from '../transactions/transaction-service.ts';

/** Rows fetched per keyset page while exporting: memory stays flat whatever the history's size. */
const PAGE = 1000;

const { cursor: _cursor, limit: _limit, ...filterFields } = TransactionQuery.properties;
const ExportQuery = Type.Object(filterFields);

const COLUMNS = [
  'transactionId',
  'date',
  'kind',
  'accountId',
  'currency',
  'total',
  'lineAmount',
  'categoryId',
  'tagIds',
  'memo',
  'payeeId',
  'note',
  'toAccountId',
  'toAmount',
  'toCurrency',
];

/** One CSV record per line of a split, newest transaction first, read page by page along the list's index. */
async function* exportRows(db: Db, userId: string, filters: TransactionFilters) {
  let after: [string, string] | undefined;
  for (;;) {
    const rows = await transactionListQuery(db, userId, filters, { limit: PAGE, after }).execute();
    const page = rows.slice(0, PAGE);
    for (const t of await withLines(db, page)) {
      for (const line of t.lines) {
        yield [
          t.id,
          t.date,
          t.kind,
          t.accountId,
          t.currency,
          t.amount,
          line.amount,
          line.categoryId ?? '',
          line.tagIds.join(' '),
          line.memo,
          t.payeeId ?? '',
          t.note,
          t.transfer?.toAccountId ?? '',
          t.transfer?.toAmount ?? '',
          t.transfer?.toCurrency ?? '',
        ];
      }
    }
    const last = page.at(-1);
    if (rows.length <= PAGE || !last) return;
    after = [last.date, last.id];
  }
}

/** GET /api/expenses/exports/transactions.csv */
export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/exports/transactions.csv',
    {
      schema: {
        ...docs,
        summary: 'Export transactions as CSV (one record per split line), streamed: any size, the list’s filters',
        querystring: ExportQuery,
        response: {
          200: {
            description: 'CSV, header first',
            content: { 'text/csv': { schema: Type.String() } },
          },
          ...problemResponses(401, 422),
        },
      },
    },
    async (request, reply) => {
      const userId = currentUser(request).id;
      const { categoryId, ...filters } = request.query;
      const categoryIds = categoryId ? await categoryFamily(app.db, userId, categoryId) : undefined;
      const rows =
        categoryIds?.length === 0
          ? Readable.from([])
          : Readable.from(exportRows(app.db, userId, { ...filters, categoryIds }));
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="transactions.csv"');
      // A stream, not the string the schema documents: Fastify sends it as it is produced.
      return reply.send(rows.pipe(stringify({ header: true, columns: COLUMNS })) as unknown as string);
    },
  );
};
