import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Row {
  size: string;
  scenario: string;
  baseline: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  peakRssMb: number | null;
  eventLoopP99Ms: number | null;
  /** scenario req/s ÷ its baseline's req/s, measured in the same run */
  vsBaseline: number | null;
  /** this scenario's large p50 ÷ its small p50 (filled on the large row) */
  largeOverSmallP50: number | null;
  failed: boolean;
}

const COLUMNS: Array<[string, (r: Row) => string]> = [
  ['size', (r) => r.size],
  ['scenario', (r) => r.scenario],
  ['req/s', (r) => r.requestsPerSecond.toFixed(0)],
  ['p50 ms', (r) => r.p50Ms.toFixed(1)],
  ['p99 ms', (r) => r.p99Ms.toFixed(1)],
  ['errors', (r) => String(r.errors)],
  ['non-2xx', (r) => String(r.non2xx)],
  ['peak RSS MB', (r) => (r.peakRssMb === null ? '' : r.peakRssMb.toFixed(0))],
  ['loop p99 ms', (r) => (r.eventLoopP99Ms === null ? '' : r.eventLoopP99Ms.toFixed(1))],
  ['× baseline', (r) => (r.vsBaseline === null ? '' : `${r.vsBaseline.toFixed(2)} (${r.baseline})`)],
  ['large/small p50', (r) => (r.largeOverSmallP50 === null ? '' : r.largeOverSmallP50.toFixed(2))],
  ['', (r) => (r.failed ? 'FAILED: errors or non-2xx' : '')],
];

export function toMarkdown(rows: Row[]): string {
  const header = `| ${COLUMNS.map(([name]) => name).join(' | ')} |`;
  const rule = `|${COLUMNS.map(() => '---').join('|')}|`;
  return [header, rule, ...rows.map((row) => `| ${COLUMNS.map(([, cell]) => cell(row)).join(' | ')} |`)].join('\n');
}

export function toText(rows: Row[]): string {
  const cells = [COLUMNS.map(([name]) => name), ...rows.map((row) => COLUMNS.map(([, cell]) => cell(row)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Writes `bench/results/<timestamp>.json` and `.md`; returns their paths. */
export function writeResults(rows: Row[], meta: Record<string, unknown>): string[] {
  const folder = path.join(import.meta.dirname, 'results');
  mkdirSync(folder, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = path.join(folder, `${stamp}.json`);
  const md = path.join(folder, `${stamp}.md`);
  writeFileSync(json, `${JSON.stringify({ meta, rows }, null, 2)}\n`);
  writeFileSync(
    md,
    `# Benchmark ${stamp}\n\n\`\`\`json\n${JSON.stringify(meta, null, 2)}\n\`\`\`\n\n${toMarkdown(rows)}\n`,
  );
  return [json, md];
}
