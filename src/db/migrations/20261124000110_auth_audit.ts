import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('auth_audit_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // null when the event concerns no known account (a failed log-in for an unknown login)
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // GET /api/auth/audit: a user's own events, newest first; admins page through all by id.
  await db.schema
    .createIndex('auth_audit_events_user_id_idx')
    .on('auth_audit_events')
    .columns(['user_id', 'id desc'])
    .execute();
  await db.schema.createIndex('auth_audit_events_actor_id_idx').on('auth_audit_events').column('actor_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth_audit_events').execute();
}
