import { type Static, Type } from 'typebox';
import {
  Cursor,
  Id,
  Limit,
  Nullable,
  Page,
  PageQuery,
  preconditionFailedResponse,
  Timestamp,
} from '../../core/schemas.ts';

/** Request and response shapes of /api/notes and /api/shared/notes. */

export const MAX_TITLE = 500;
export const MAX_BODY = 200_000;
export const MAX_TAGS = 20;

const Title = Type.String({ maxLength: MAX_TITLE });
const Body = Type.String({ maxLength: MAX_BODY, description: 'Markdown (at most 200 000 characters)' });
export const Tag = Type.String({
  minLength: 1,
  maxLength: 50,
  pattern: '^#?[^\\s#,]+$',
  description: 'One word; stored in lower case without a leading #',
});
const Tags = Type.Array(Tag, { maxItems: MAX_TAGS, uniqueItems: true });

export const Note = Type.Object(
  {
    id: Id,
    title: Type.String(),
    body: Type.String(),
    notebookId: Nullable(Id),
    tags: Type.Array(Type.String(), { description: 'The tags you set' }),
    allTags: Type.Array(Type.String(), { description: 'Your tags plus the #hashtags of the body' }),
    pinned: Type.Boolean(),
    archived: Type.Boolean(),
    trashed: Type.Boolean({ description: 'In the trash (DELETE): restore with POST /api/notes/{id}/restore' }),
    trashedAt: Nullable(Timestamp),
    version: Type.Integer({ description: 'Goes up by one on every change; the ETag is `"<version>"`' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    examples: [
      {
        id: '5f0c6a1e-8a4b-4c1e-9d0b-2b6a1f0e3c11',
        title: 'Trip to Kyoto',
        body: 'Book the ryokan. See [[Packing list]]. #travel',
        notebookId: null,
        tags: ['japan'],
        allTags: ['japan', 'travel'],
        pinned: false,
        archived: false,
        trashed: false,
        trashedAt: null,
        version: 1,
        createdAt: '2026-12-01T09:00:00.000Z',
        updatedAt: '2026-12-01T09:00:00.000Z',
      },
    ],
  },
);
export type NoteDto = Static<typeof Note>;

/** A note in a list: no body, its beginning instead, and where it matched a search. */
export const NoteSummary = Type.Object({
  ...Type.Omit(Note, ['body']).properties,
  excerpt: Type.String({ description: 'The first 300 characters of the body' }),
  snippet: Nullable(
    Type.String({ description: 'Search only: the best passage, matched words wrapped in <mark>…</mark>' }),
  ),
  rank: Nullable(Type.Number({ description: 'Search only: relevance (title > tags > body)' })),
});
export type NoteSummaryDto = Static<typeof NoteSummary>;
export const NotePage = Page(NoteSummary);

export const CreateNote = Type.Object(
  {
    id: Type.Optional(
      Type.String({ format: 'uuid', description: 'Your own id (offline clients); one is made if absent' }),
    ),
    title: Type.Optional(Title),
    body: Type.Optional(Body),
    notebookId: Type.Optional(Nullable(Id)),
    tags: Type.Optional(Tags),
    pinned: Type.Optional(Type.Boolean()),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, examples: [{ title: 'Trip to Kyoto', body: 'Book the ryokan. #travel' }] },
);
export type CreateNoteInput = Static<typeof CreateNote>;

export const UpdateNote = Type.Object(
  {
    title: Type.Optional(Title),
    body: Type.Optional(Body),
    notebookId: Type.Optional(Nullable(Id)),
    tags: Type.Optional(Tags),
    pinned: Type.Optional(Type.Boolean()),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateNoteInput = Static<typeof UpdateNote>;

export const NoteParams = Type.Object({ id: Id });
export const DeleteNoteQuery = Type.Object({
  permanent: Type.Boolean({ default: false, description: 'Delete for good instead of moving to the trash' }),
});

const DateTime = Type.String({ format: 'date-time' });
export const NoteQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Search: web-search syntax (`"exact phrase"`, `-exclude`, `or`), accents ignored; words in any script and substrings match too. Results by relevance.',
    }),
  ),
  tag: Type.Optional(Tag),
  notebook: Type.Optional(Id),
  pinned: Type.Optional(Type.Boolean()),
  archived: Type.Boolean({ default: false, description: 'Archived notes instead of the others' }),
  updatedAfter: Type.Optional(DateTime),
  updatedBefore: Type.Optional(DateTime),
  limit: Limit(20),
  cursor: Type.Optional(Cursor),
});
export type NoteQueryInput = Static<typeof NoteQuery>;

export const TrashQuery = PageQuery(20);

/** The 412 of a note write: the problem, plus the note as it is now, to merge with. */
export const noteConflictResponse = preconditionFailedResponse(Note, 'note');

export const ChangesQuery = Type.Object({
  cursor: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'The `nextCursor` of your last sync; absent for a full sync',
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

export const Change = Type.Object({
  id: Id,
  deleted: Type.Boolean({ description: 'Deleted for good: a tombstone (`note` is null)' }),
  note: Nullable(Note),
});
export const ChangesPage = Type.Object({
  items: Type.Array(Change, { description: 'In commit order; a note appears once, in its latest state' }),
  nextCursor: Type.String({ description: 'Pass as `cursor` next time (also when nothing changed)' }),
  hasMore: Type.Boolean({ description: 'More changes wait: call again at once with `nextCursor`' }),
});

export const Backlink = Type.Object({
  id: Id,
  title: Type.String(),
  updatedAt: Timestamp,
});
export const BacklinkPage = Page(Backlink);
export const BacklinkQuery = PageQuery(20);

export const RevisionParams = Type.Object({ id: Id, rev: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const RevisionQuery = PageQuery(20);
export const DiffQuery = Type.Object({
  against: Type.Integer({
    minimum: 1,
    maximum: 2_147_483_647,
    description: 'The revision to compare with (the "from" side)',
  }),
});

const revisionFields = {
  rev: Type.Integer({ description: '1, 2, 3… per note; edits in a short window by one person share one' }),
  authorId: Nullable(Id),
  title: Type.String(),
  tags: Type.Array(Type.String()),
  notebookId: Nullable(Id),
  restoredFrom: Nullable(Type.Integer({ description: 'Made by restoring this revision' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};
export const RevisionSummary = Type.Object({
  ...revisionFields,
  length: Type.Integer({ description: 'Characters in the body' }),
});
export const Revision = Type.Object({ ...revisionFields, body: Type.String() });
export const RevisionPage = Page(RevisionSummary);

export const Hunk = Type.Object({
  oldStart: Type.Integer(),
  oldLines: Type.Integer(),
  newStart: Type.Integer(),
  newLines: Type.Integer(),
  lines: Type.Array(Type.String(), { description: 'Each line starts with " " (context), "-" or "+"' }),
});
export const RevisionDiff = Type.Object({
  from: Type.Integer({ description: 'The `against` revision' }),
  to: Type.Integer(),
  title: Type.Union([Type.Object({ from: Type.String(), to: Type.String() }), Type.Null()], {
    description: 'null when unchanged',
  }),
  tags: Nullable(Type.Object({ added: Type.Array(Type.String()), removed: Type.Array(Type.String()) })),
  additions: Type.Integer({ description: 'Lines added to the body' }),
  deletions: Type.Integer({ description: 'Lines removed from the body' }),
  hunks: Type.Array(Hunk, { description: 'A line diff of the body, 3 lines of context' }),
  patch: Type.String({ description: 'The same as a unified diff' }),
});
export type RevisionDiffDto = Static<typeof RevisionDiff>;

export const Notebook = Type.Object({
  id: Id,
  name: Type.String(),
  parentId: Nullable(Id),
  version: Type.Integer({ description: 'Goes up by one on every change; the ETag is `"<version>"`' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type NotebookDto = Static<typeof Notebook>;
export const NotebookPage = Page(Notebook);
/** The 412 of a notebook write: the problem, plus the notebook as it is now. */
export const notebookConflictResponse = preconditionFailedResponse(Notebook, 'notebook');
const NotebookName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
export const CreateNotebook = Type.Object(
  { name: NotebookName, parentId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);
export const UpdateNotebook = Type.Object(
  { name: Type.Optional(NotebookName), parentId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateNotebookInput = Static<typeof UpdateNotebook>;
export const NotebookParams = Type.Object({ notebookId: Id });
export const NotebookQuery = PageQuery(100);

export const CreateShare = Type.Object(
  { expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the link stops working' })) },
  { additionalProperties: false },
);
export const Share = Type.Object({
  id: Id,
  expiresAt: Nullable(Timestamp),
  expired: Type.Boolean(),
  createdAt: Timestamp,
});
export const NewShare = Type.Object({
  ...Share.properties,
  token: Type.String({ description: 'Shown once: only its hash is stored' }),
  url: Type.String({ description: 'Where anyone with the link reads the note, no account needed' }),
});
export const ShareList = Type.Object({ items: Type.Array(Share) });
export const ShareParams = Type.Object({ id: Id, shareId: Id });
export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });
export const SharedNote = Type.Object({
  title: Type.String(),
  body: Type.String(),
  tags: Type.Array(Type.String()),
  updatedAt: Timestamp,
});

export const Attachment = Type.Object({
  id: Id,
  name: Type.String(),
  size: Type.Integer({ description: 'Bytes' }),
  contentType: Type.String(),
  createdAt: Timestamp,
  url: Type.String({ description: 'Download (with your token); `![…](url)` shows an image in the body' }),
});
export const AttachmentList = Type.Object({ items: Type.Array(Attachment) });
export const AttachFile = Type.Object({ fileId: Id }, { additionalProperties: false });
export const AttachmentParams = Type.Object({ id: Id, fileId: Id });

export const ImportQuery = Type.Object({
  format: Type.Enum(['zip', 'enex'], {
    default: 'zip',
    description: '`zip`: markdown files with front matter (as exported); `enex`: an Evernote export',
  }),
});
export const NoteImport = Type.Object({
  id: Id,
  format: Type.Enum(['zip', 'enex']),
  status: Type.Enum(['queued', 'done', 'failed']),
  imported: Type.Integer(),
  skipped: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() }), {
    description: 'What did not come in, and why: a note (with the attachment that was refused, if that is why)',
  }),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});
export const ImportParams = Type.Object({ importId: Id });
export const ImportBody = {
  content: {
    'application/zip': { schema: Type.Unsafe<unknown>({ type: 'string', format: 'binary' }) },
    'application/xml': { schema: Type.Unsafe<unknown>({ type: 'string', format: 'binary' }) },
  },
};
