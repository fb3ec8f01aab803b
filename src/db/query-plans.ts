/**
 * Reading PostgreSQL query plans, for the checks (tests and benchmark) that our queries reach big
 * tables through indexes. Works on any Kysely query: `await planOf(query)`.
 */

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

interface Explainable {
  explain(format: 'json'): Promise<unknown[]>;
}

/** Every node of the plan PostgreSQL chooses for `query`, parents before children. */
export async function planOf(query: Explainable): Promise<PlanNode[]> {
  const [row] = await query.explain('json');
  const raw = (row as { 'QUERY PLAN': unknown })['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
  const root = parsed[0]?.Plan;
  return root ? flatten(root) : [];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

/** The tables among `tables` that the plan reads with a sequential scan. */
export function seqScansOn(plan: PlanNode[], tables: string[]): string[] {
  return plan
    .filter((n) => n['Node Type'] === 'Seq Scan' && tables.includes(n['Relation Name'] ?? ''))
    .map((n) => n['Relation Name'] as string);
}

/** The indexes the plan uses. */
export function indexesUsed(plan: PlanNode[]): Set<string> {
  return new Set(plan.map((n) => n['Index Name']).filter((name): name is string => name !== undefined));
}

/** `Index Only Scan blog_articles_recent_idx on blog_articles > …`: a plan's table access in one line. */
export function describePlan(plan: PlanNode[]): string {
  return plan
    .filter((n) => n['Relation Name'] || n['Index Name'])
    .map(
      (n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''} on ${n['Relation Name'] ?? '(index)'}`,
    )
    .join(' > ');
}
