import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, NullableTimestamp, Timestamp, UpdatedAt } from '../../db/column-types.ts';

export type OneTimeTokenPurpose = 'verify_email' | 'password_reset' | 'login_code';

export interface AuthOneTimeTokensTable {
  id: Generated<string>;
  user_id: string;
  purpose: OneTimeTokenPurpose;
  token_hash: string;
  email: string | null;
  details: JSONColumnType<Record<string, unknown>, string | undefined>;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface AuthIdentitiesTable {
  id: Generated<string>;
  provider: string;
  subject: string;
  user_id: string;
  email: string | null;
  email_verified: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  last_login_at: UpdatedAt;
}

export interface AuthOAuthStatesTable {
  state_hash: string;
  provider: string;
  nonce: string;
  code_verifier: string;
  binding_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

/** Email verification, password reset and OAuth log-in (migration 20261124000130). */
export interface RecoveryOAuthTables {
  auth_one_time_tokens: AuthOneTimeTokensTable;
  auth_identities: AuthIdentitiesTable;
  auth_oauth_states: AuthOAuthStatesTable;
}
