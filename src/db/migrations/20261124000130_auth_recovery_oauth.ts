import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  // Single-use secrets handed out once (email verification and password-reset links, the one-time
  // code an OAuth log-in ends with), stored only as a SHA-256 digest and bound to one purpose.
  await db.schema
    .createTable('auth_one_time_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) =>
      c.notNull().check(sql`purpose in ('verify_email', 'password_reset', 'login_code')`),
    )
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // The address the link was mailed to: a link stops working when the account's email changes.
    .addColumn('email', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  // A new request supersedes a user's older tokens of the same purpose (delete by user and purpose).
  await db.schema
    .createIndex('auth_one_time_tokens_user_purpose_idx')
    .on('auth_one_time_tokens')
    .columns(['user_id', 'purpose'])
    .execute();

  // Who a user is at an OAuth / OpenID Connect provider: `subject` is the provider's stable id.
  await db.schema
    .createTable('auth_identities')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('email_verified', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_login_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('auth_identities_provider_subject_key', ['provider', 'subject'])
    .execute();
  await db.schema.createIndex('auth_identities_user_id_idx').on('auth_identities').column('user_id').execute();

  // An OAuth log-in in flight, between the redirect to the provider and its callback: keyed by the
  // digest of `state`, deleted when the callback uses it (single use), ignored after `expires_at`.
  await db.schema
    .createTable('auth_oauth_states')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    // Digest of the HttpOnly cookie set on the browser that started the flow (login-CSRF defence).
    .addColumn('binding_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Sweeping abandoned flows: `delete … where expires_at < now()`.
  await db.schema
    .createIndex('auth_oauth_states_expires_at_idx')
    .on('auth_oauth_states')
    .column('expires_at')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth_oauth_states').execute();
  await db.schema.dropTable('auth_identities').execute();
  await db.schema.dropTable('auth_one_time_tokens').execute();
}
