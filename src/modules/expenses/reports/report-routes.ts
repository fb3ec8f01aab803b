import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import type { TopLevelSpec } from 'vega-lite';
import { problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { docs } from '../schemas.ts';
import { budgetReport } from './budget-report.ts';
import { renderSvg } from './charts.ts';
import { budgetChart, cashFlowChart, incomeExpenseChart, netWorthChart, spendingChart } from './report-charts.ts';
import {
  BudgetReport,
  CashFlowReport,
  IncomeExpenseReport,
  NetWorthReport,
  ReportQuery,
  type ReportQueryInput,
  SpendingReport,
} from './report-schemas.ts';
import * as service from './report-service.ts';

const SVG = 'image/svg+xml';

/** True when the client asked for the chart: the `.svg` path, or an Accept that prefers SVG to JSON. */
function wantsSvg(request: FastifyRequest, svgPath: boolean): boolean {
  if (svgPath) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes(SVG) && !accept.includes('application/json');
}

interface ReportSpec<T> {
  path: string;
  summary: string;
  schema: TSchema;
  compute: (ctx: service.ReportContext, query: ReportQueryInput) => Promise<T>;
  chart: (report: T) => TopLevelSpec;
}

/** /api/expenses/reports/…: each report as JSON, or as an SVG chart (`.svg`, or `Accept: image/svg+xml`). */
export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  function report<T>(spec: ReportSpec<T>) {
    const handler = (svgPath: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
      const ctx = { db: app.db, userId: currentUser(request).id, rateMaxAgeDays: app.config.expenses.rateMaxAgeDays };
      const result = await spec.compute(ctx, request.query as ReportQueryInput);
      reply.header('vary', 'accept');
      if (!wantsSvg(request, svgPath)) return result;
      return reply.type(SVG).send(await renderSvg(spec.chart(result)));
    };
    const schema = (svgOnly: boolean) => ({
      ...docs,
      summary: svgOnly
        ? `${spec.summary}, as an SVG chart`
        : `${spec.summary} (JSON, or SVG with Accept: image/svg+xml)`,
      querystring: ReportQuery,
      response: {
        200: {
          description: svgOnly ? 'The chart' : 'The report, or its chart',
          content: {
            ...(svgOnly ? {} : { 'application/json': { schema: spec.schema } }),
            [SVG]: { schema: Type.String({ description: 'An SVG document' }) },
          },
        },
        ...problemResponses(401, 422),
      },
    });
    app.get(`/reports/${spec.path}`, { schema: schema(false) }, handler(false));
    app.get(`/reports/${spec.path}.svg`, { schema: schema(true) }, handler(true));
  }

  report({
    path: 'spending-by-category',
    summary: 'Spending by category',
    schema: SpendingReport,
    compute: service.spendingByCategory,
    chart: spendingChart,
  });
  report({
    path: 'income-vs-expense',
    summary: 'Income vs expense by month',
    schema: IncomeExpenseReport,
    compute: service.incomeVsExpense,
    chart: incomeExpenseChart,
  });
  report({
    path: 'cash-flow',
    summary: 'Cash flow of cash, checking and savings accounts by month',
    schema: CashFlowReport,
    compute: service.cashFlow,
    chart: cashFlowChart,
  });
  report({
    path: 'net-worth',
    summary: 'Net worth at the end of each month',
    schema: NetWorthReport,
    compute: service.netWorth,
    chart: netWorthChart,
  });
  report({
    path: 'budget-vs-actual',
    summary: 'Budget vs actual for every budget over the months',
    schema: BudgetReport,
    compute: budgetReport,
    chart: budgetChart,
  });
};
