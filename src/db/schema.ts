/**
 * The whole database as Kysely sees it. Each module declares the tables it owns in its own
 * `tables.ts` and they are joined here, so a query anywhere is checked against the real schema.
 */
// biome-ignore lint/complexity/noBannedTypes: no module has tables yet; modules extend this.
export type Database = {};
