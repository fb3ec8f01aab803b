import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, NullableTimestamp, Timestamp, UpdatedAt } from '../../db/column-types.ts';

export type Role = 'user' | 'admin';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  username: string;
  password_hash: string | null;
  bio: string | null;
  image: string | null;
  role: ColumnType<Role, Role | undefined, Role>;
  email_verified_at: NullableTimestamp;
  disabled_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Read-only public profile of a user: what other modules may join. */
export interface UserProfilesView {
  id: string;
  username: string;
  bio: string | null;
  image: string | null;
}

export interface AuthSessionsTable {
  id: Generated<string>;
  user_id: string;
  kind: 'token' | 'cookie';
  cookie_hash: string | null;
  user_agent: string | null;
  ip: string | null;
  created_at: CreatedAt;
  last_used_at: UpdatedAt;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
}

export interface AuthRefreshTokensTable {
  id: Generated<string>;
  session_id: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface AuthSigningKeysTable {
  kid: string;
  algorithm: string;
  public_jwk: JSONColumnType<Record<string, unknown>>;
  private_jwk: JSONColumnType<Record<string, unknown>>;
  created_at: CreatedAt;
  retire_at: Timestamp;
  expires_at: Timestamp;
}

export type AuditEventType =
  | 'login_succeeded'
  | 'login_failed'
  | 'logout'
  | 'session_revoked'
  | 'refresh_token_reused'
  | 'password_changed'
  | 'password_reset'
  | 'email_changed'
  | 'email_change_reverted'
  | 'email_verified'
  | 'role_changed'
  | 'account_disabled'
  | 'account_enabled'
  | 'oauth_linked';

export interface AuthAuditEventsTable {
  id: Generated<number>;
  user_id: string | null;
  actor_id: string | null;
  type: AuditEventType;
  ip: string | null;
  user_agent: string | null;
  details: JSONColumnType<Record<string, unknown>, string | undefined>;
  created_at: CreatedAt;
}

// Email verification, password reset and OAuth log-in (migration 20261124000130); the link that
// reverts an email change (20261201043000).
export type OneTimeTokenPurpose = 'verify_email' | 'password_reset' | 'login_code' | 'revert_email_change';

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

/** Every table the auth module owns, as Kysely sees them. */
export interface AuthTables {
  users: UsersTable;
  user_profiles: UserProfilesView;
  auth_sessions: AuthSessionsTable;
  auth_refresh_tokens: AuthRefreshTokensTable;
  auth_signing_keys: AuthSigningKeysTable;
  auth_audit_events: AuthAuditEventsTable;
  auth_one_time_tokens: AuthOneTimeTokensTable;
  auth_identities: AuthIdentitiesTable;
  auth_oauth_states: AuthOAuthStatesTable;
}
