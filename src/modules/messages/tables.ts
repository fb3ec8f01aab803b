import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp, UpdatedAt } from '../../db/column-types.ts';

/** The tables the messages module owns (migration 20261201000200_messages.ts), as Kysely sees them. */

export type ConversationKind = 'direct' | 'group';
export type MemberRole = 'admin' | 'member';

export interface ConversationsTable {
  id: Generated<string>;
  kind: ConversationKind;
  title: string | null;
  direct_key: string | null;
  created_by: string | null;
  last_seq: ColumnType<number, number | undefined, number>;
  last_activity_at: UpdatedAt;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ConversationMembersTable {
  conversation_id: string;
  user_id: string;
  role: MemberRole;
  last_read_seq: ColumnType<number, number | undefined, number>;
  joined_at: CreatedAt;
}

export interface MessagesTable {
  conversation_id: string;
  seq: number;
  author_id: string | null;
  body: string;
  reply_to_seq: number | null;
  edited_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface UserBlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: CreatedAt;
}

export interface MessagesTables {
  conversations: ConversationsTable;
  conversation_members: ConversationMembersTable;
  messages: MessagesTable;
  user_blocks: UserBlocksTable;
}
