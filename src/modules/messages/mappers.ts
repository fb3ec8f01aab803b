import type { FileDto } from '../files/index.ts';
import type { BlockRow } from './block-repository.ts';
import type { ConversationRow, MemberRow } from './conversation-repository.ts';
import type { MessageRow } from './message-repository.ts';
import type { ConversationDto, MemberDto, MessageDto } from './schemas.ts';

/** The one place rows of this module become API objects (and realtime event data). */

const iso = (value: Date) => value.toISOString();
const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

/** A message with its files (`attachmentsOf` reads a page's in one query; a deleted one has none). */
export function toMessage(row: MessageRow, attachments: FileDto[]): MessageDto {
  const deleted = row.deleted_at !== null;
  return {
    conversationId: row.conversation_id,
    seq: row.seq,
    authorId: row.author_id,
    body: deleted ? null : row.body,
    replyToSeq: row.reply_to_seq,
    edited: row.edited_at !== null,
    editedAt: isoOrNull(row.edited_at),
    deleted,
    deletedAt: isoOrNull(row.deleted_at),
    attachments: deleted ? [] : attachments,
    createdAt: iso(row.created_at),
  };
}

/** A conversation; `lastFiles` are its last message's attachments. */
export function toConversation(row: ConversationRow, lastFiles: FileDto[]): ConversationDto {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    peer: row.peer ?? null,
    memberCount: Number(row.member_count ?? 0),
    role: row.role,
    lastSeq: row.last_seq,
    lastReadSeq: row.last_read_seq,
    unreadCount: Number(row.unread_count ?? 0),
    lastMessage:
      row.lm_seq === null || row.lm_created_at === null
        ? null
        : toMessage(
            {
              conversation_id: row.id,
              seq: row.lm_seq,
              author_id: row.lm_author_id,
              body: row.lm_body ?? '',
              reply_to_seq: row.lm_reply_to_seq,
              edited_at: row.lm_edited_at,
              deleted_at: row.lm_deleted_at,
              created_at: row.lm_created_at,
            },
            lastFiles,
          ),
    lastActivityAt: iso(row.last_activity_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toMember(row: MemberRow): MemberDto {
  return {
    userId: row.user_id,
    username: row.username,
    image: row.image,
    role: row.role,
    lastReadSeq: row.last_read_seq,
    joinedAt: iso(row.joined_at),
  };
}

export function toBlock(row: BlockRow) {
  return { userId: row.blocked_id, username: row.username, createdAt: iso(row.created_at) };
}
