import { type Static, Type } from 'typebox';
import { Id, Nullable, Page, PageQuery, Timestamp } from '../../core/schemas.ts';
import * as examples from './examples.ts';

/** Request and response schemas of the tasks module (projects, members, labels, tasks). */

const DateOnly = Type.String({ format: 'date', description: 'A calendar date, `YYYY-MM-DD`' });
/** `limit` (default 50) and `cursor`, as every task list takes them. */
const listPage = PageQuery(50).properties;

export const Role = Type.Enum(['owner', 'editor', 'viewer']);
export const InvitableRole = Type.Enum(['editor', 'viewer']);
export const Status = Type.Enum(['todo', 'in_progress', 'done', 'canceled']);
export const Priority = Type.Enum(['none', 'low', 'medium', 'high', 'urgent']);
export const Weekday = Type.Enum(['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su']);

export const ProjectParams = Type.Object({ projectId: Id });
export const TaskParams = Type.Object({ taskId: Id });
export const MemberParams = Type.Object({ projectId: Id, userId: Id });
export const LabelParams = Type.Object({ projectId: Id, labelId: Id });
export const CommentParams = Type.Object({ taskId: Id, commentId: Id });

export const Project = Type.Object(
  {
    id: Id,
    name: Type.String(),
    description: Type.String({ description: 'Markdown' }),
    ownerId: Id,
    role: Role,
    archived: Type.Boolean(),
    archivedAt: Nullable(Timestamp),
    version: Type.Integer({ description: 'Also the ETag' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { examples: [examples.project] },
);
export const ProjectPage = Page(Project, examples.project);
export const CreateProject = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 10000 })),
  },
  { examples: [examples.newProject], additionalProperties: false },
);
export const UpdateProject = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 10000 })),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const ProjectQuery = Type.Object({
  archived: Type.Boolean({ default: false, description: 'List archived projects instead of active ones' }),
  ...listPage,
});

export const Member = Type.Object(
  {
    userId: Id,
    username: Type.String(),
    image: Nullable(Type.String()),
    role: Role,
    addedAt: Timestamp,
  },
  { examples: [examples.member] },
);
export const AddMember = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Who to add, by username…' })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254, description: '…or by email (give one)' })),
    role: InvitableRole,
  },
  { examples: [examples.newMember], additionalProperties: false },
);
export const UpdateMember = Type.Object({ role: InvitableRole }, { additionalProperties: false });

export const Label = Type.Object({
  id: Id,
  projectId: Id,
  name: Type.String(),
  color: Type.String(),
  createdAt: Timestamp,
});
const LabelName = Type.String({ minLength: 1, maxLength: 50 });
const Color = Type.String({ pattern: '^#[0-9a-f]{6}$', description: 'Lower-case hex, `#1a2b3c`' });
export const CreateLabel = Type.Object({ name: LabelName, color: Color }, { additionalProperties: false });
export const UpdateLabel = Type.Object(
  { name: Type.Optional(LabelName), color: Type.Optional(Color) },
  { additionalProperties: false, minProperties: 1 },
);

const DueIn = Type.Object(
  {
    date: Type.Optional(DateOnly),
    dateTime: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$',
        description: 'Wall-clock time in `timeZone`, no offset: `2026-03-29T09:00`',
      }),
    ),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, `Europe/Berlin`' })),
  },
  { additionalProperties: false, description: 'Either `{ date }` (a whole day) or `{ dateTime, timeZone }`' },
);
const DueOut = Type.Object({
  date: Type.Optional(DateOnly),
  dateTime: Type.Optional(Type.String()),
  timeZone: Type.Optional(Type.String()),
  at: Type.String({ format: 'date-time', description: 'When it falls due (a whole day: its last millisecond, UTC)' }),
});

const RecurrenceFields = {
  frequency: Type.Enum(['daily', 'weekly', 'monthly', 'yearly']),
  interval: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Every N periods (default 1)' })),
  weekdays: Type.Optional(Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true })),
  monthDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 })),
  until: Type.Optional(DateOnly),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Number of occurrences in all' })),
};
const RecurrenceIn = Type.Object(RecurrenceFields, { additionalProperties: false });
const RecurrenceOut = Type.Object({ ...RecurrenceFields, month: Type.Optional(Type.Integer()) });

const Move = Type.Object(
  {
    beforeId: Type.Optional(Id),
    afterId: Type.Optional(Id),
  },
  { additionalProperties: false, description: 'Place the task right before or after a task of the same status' },
);

export const Task = Type.Object(
  {
    id: Id,
    projectId: Id,
    parentId: Nullable(Id),
    title: Type.String(),
    description: Type.String({ description: 'Markdown' }),
    status: Status,
    priority: Priority,
    due: Nullable(DueOut),
    assigneeId: Nullable(Id),
    labelIds: Type.Array(Id),
    position: Type.String({ description: 'Sort key within the status (fractional index)' }),
    recurrence: Nullable(RecurrenceOut),
    occurrence: Type.Integer({ description: 'Which occurrence of its repeat rule this is (1-based)' }),
    nextOccurrenceId: Nullable(Id),
    progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }, { description: 'Direct subtasks' }),
    completedAt: Nullable(Timestamp),
    createdBy: Nullable(Id),
    version: Type.Integer({ description: 'Also the ETag' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { examples: [examples.task] },
);
export const TaskPage = Page(Task, examples.task);

const TaskFields = {
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.String({ maxLength: 50000 }),
  status: Status,
  priority: Priority,
  due: Nullable(DueIn),
  assigneeId: Nullable(Id),
  labelIds: Type.Array(Id, { maxItems: 50, uniqueItems: true }),
  parentId: Nullable(Id),
  recurrence: Nullable(RecurrenceIn),
};
export const CreateTask = Type.Object(
  {
    title: TaskFields.title,
    description: Type.Optional(TaskFields.description),
    status: Type.Optional(TaskFields.status),
    priority: Type.Optional(TaskFields.priority),
    due: Type.Optional(TaskFields.due),
    assigneeId: Type.Optional(TaskFields.assigneeId),
    labelIds: Type.Optional(TaskFields.labelIds),
    parentId: Type.Optional(TaskFields.parentId),
    recurrence: Type.Optional(TaskFields.recurrence),
    move: Type.Optional(Move),
  },
  { examples: [examples.newTask], additionalProperties: false },
);
// Every field of a create, all optional; at least one must be given.
export const UpdateTask = Type.Partial(CreateTask, {
  examples: [examples.taskChange],
  additionalProperties: false,
  minProperties: 1,
});

export const BulkUpdateTasks = Type.Object(
  {
    ids: Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true }),
    set: Type.Object(
      {
        status: Type.Optional(Status),
        assigneeId: Type.Optional(Nullable(Id)),
        addLabelIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
        removeLabelIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);

const DueBound = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  description: 'An instant (`2026-03-01T12:00:00Z`) or a date (its start, UTC)',
});
export const TaskSorts = ['due', 'priority', 'created', 'updated', 'position'] as const;
export const TaskQuery = Type.Object({
  status: Type.Optional(Type.Array(Status, { maxItems: 4 })),
  priority: Type.Optional(Type.Array(Priority, { maxItems: 5 })),
  assignee: Type.Optional(
    Type.Union([Id, Type.Enum(['me', 'none'])], { description: 'A user id, `me`, or `none` (unassigned)' }),
  ),
  label: Type.Optional(Id),
  dueBefore: Type.Optional(DueBound),
  dueAfter: Type.Optional(DueBound),
  overdue: Type.Optional(Type.Boolean({ description: 'Open (todo, in progress) and past due' })),
  parent: Type.Optional(Type.Union([Id, Type.Literal('none')], { description: 'A task id, or `none`: top level' })),
  q: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'Full-text search, title and description' }),
  ),
  sort: Type.Optional(Type.Enum([...TaskSorts])),
  order: Type.Optional(Type.Enum(['asc', 'desc'])),
  ...listPage,
});

export const Activity = Type.Object({
  id: Type.Integer(),
  actor: Nullable(Type.Object({ id: Id, username: Type.String() })),
  kind: Type.Enum(['created', 'updated']),
  changes: Type.Array(Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() })),
  createdAt: Timestamp,
});
export const Comment = Type.Object(
  {
    id: Id,
    taskId: Id,
    author: Type.Object({ id: Id, username: Type.String(), image: Nullable(Type.String()) }),
    body: Type.String({ description: 'Markdown' }),
    createdAt: Timestamp,
  },
  { examples: [examples.comment] },
);
export const CreateComment = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 10000 }) },
  { examples: [examples.newComment], additionalProperties: false },
);

export type ProjectDto = Static<typeof Project>;
export type TaskDto = Static<typeof Task>;
export type CreateTaskInput = Static<typeof CreateTask>;
export type UpdateTaskInput = Static<typeof UpdateTask>;
export type TaskQueryInput = Static<typeof TaskQuery>;
export type BulkUpdateInput = Static<typeof BulkUpdateTasks>;
export type MemberDto = Static<typeof Member>;
export type LabelDto = Static<typeof Label>;
export type ActivityDto = Static<typeof Activity>;
export type CommentDto = Static<typeof Comment>;
