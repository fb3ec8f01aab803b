import { type Static, Type } from 'typebox';
import { Id, Nullable, Page, PageQuery, Timestamp } from '../../core/schemas.ts';
import { FileObject } from '../files/index.ts';

/** Request and response shapes of /api/conversations and /api/blocks. */

export const MAX_BODY_LENGTH = 4000;
export const MAX_GROUP_MEMBERS = 500;
export const MAX_ATTACHMENTS = 10;

export const Profile = Type.Object({
  userId: Id,
  username: Type.String(),
  image: Nullable(Type.String()),
});

export const Message = Type.Object({
  conversationId: Id,
  seq: Type.Integer({ description: 'Position in the conversation: 1, 2, 3… with no gaps' }),
  authorId: Nullable(Id),
  body: Nullable(Type.String({ description: 'Markdown; null once deleted' })),
  replyToSeq: Nullable(Type.Integer()),
  edited: Type.Boolean(),
  editedAt: Nullable(Timestamp),
  deleted: Type.Boolean(),
  deletedAt: Nullable(Timestamp),
  attachments: Type.Array(FileObject, {
    description:
      'Files posted with the message; members of the conversation may download them (GET /api/files/{id}/content)',
  }),
  createdAt: Timestamp,
});
export type MessageDto = Static<typeof Message>;

export const Role = Type.Enum(['admin', 'member']);

export const Conversation = Type.Object({
  id: Id,
  kind: Type.Enum(['direct', 'group']),
  title: Nullable(Type.String()),
  peer: Type.Union([Profile, Type.Null()], { description: 'The other person of a direct conversation' }),
  memberCount: Type.Integer(),
  role: Role,
  lastSeq: Type.Integer({ description: 'Sequence of the latest message (0: none yet)' }),
  lastReadSeq: Type.Integer({ description: 'Your read position' }),
  unreadCount: Type.Integer({ description: "Messages after your read position that others wrote and didn't delete" }),
  lastMessage: Nullable(Message),
  lastActivityAt: Timestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ConversationDto = Static<typeof Conversation>;

export const Member = Type.Object({
  userId: Id,
  username: Type.String(),
  image: Nullable(Type.String()),
  role: Role,
  lastReadSeq: Type.Integer({ description: 'Read receipt: the last message this member has read' }),
  joinedAt: Timestamp,
});
export type MemberDto = Static<typeof Member>;

// One object rather than a union of two: Ajv's removeAdditional would strip one branch's fields
// while trying the other. The service checks which fields go with which kind.
export const CreateConversation = Type.Object(
  {
    kind: Type.Enum(['direct', 'group']),
    userId: Type.Optional(Id),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    memberIds: Type.Optional(Type.Array(Id, { maxItems: MAX_GROUP_MEMBERS - 1, uniqueItems: true })),
  },
  {
    additionalProperties: false,
    description:
      '`direct` with `userId`: the one conversation between you two (200 when it exists). `group` with `title` and `memberIds`: a group you administer.',
  },
);
export type CreateConversationBody = Static<typeof CreateConversation>;

export const UpdateConversation = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) },
  { additionalProperties: false },
);

export const ConversationParams = Type.Object({ id: Id });
export const MemberParams = Type.Object({ id: Id, userId: Id });
export const MessageParams = Type.Object({ id: Id, seq: Type.Integer({ minimum: 1 }) });
export const BlockParams = Type.Object({ userId: Id });

export const ConversationQuery = PageQuery(20);

export const AddMember = Type.Object({ userId: Id, role: Type.Optional(Role) }, { additionalProperties: false });
export const UpdateMember = Type.Object({ role: Role }, { additionalProperties: false });

export const PostMessage = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: MAX_BODY_LENGTH, pattern: '\\S', description: 'Markdown' }),
    replyToSeq: Type.Optional(Type.Integer({ minimum: 1 })),
    fileIds: Type.Optional(
      Type.Array(Id, {
        maxItems: MAX_ATTACHMENTS,
        uniqueItems: true,
        description: 'Your uploaded files (POST /api/files) to attach; the conversation’s members may read them',
      }),
    ),
  },
  { additionalProperties: false },
);
export const EditMessage = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: MAX_BODY_LENGTH, pattern: '\\S' }) },
  { additionalProperties: false },
);

export const HistoryQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Messages before this sequence, newest first' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Messages after this sequence, oldest first' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
});

export const History = Type.Object({
  items: Type.Array(Message),
  hasMore: Type.Boolean({ description: 'More messages lie beyond the last item, in the same direction' }),
});

export const MarkRead = Type.Object(
  { seq: Type.Integer({ minimum: 0, description: 'The last message read; the position never moves back' }) },
  { additionalProperties: false },
);
export const ReadState = Type.Object({ conversationId: Id, lastReadSeq: Type.Integer(), unreadCount: Type.Integer() });

export const Unread = Type.Object({
  total: Type.Integer({ description: 'Unread messages across all your conversations' }),
  items: Type.Array(Type.Object({ conversationId: Id, unreadCount: Type.Integer() }), {
    description: 'Every conversation with unread messages',
  }),
});

export const Block = Type.Object({ userId: Id, username: Type.String(), createdAt: Timestamp });
export const BlockList = Type.Object({ items: Type.Array(Block) });

export const ConversationPage = Page(Conversation);
