import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, NullableTimestamp, ReadOnly, UpdatedAt } from '../../db/column-types.ts';
import type { RecurrenceRule } from '../../lib/recurrence.ts';

/** The tables the tasks module owns (migration 20261124000300_tasks.ts), as Kysely sees them. */

type Version = ColumnType<number, number | undefined, number>;

export type MemberRole = 'owner' | 'editor' | 'viewer';
export type TaskStatus = 'todo' | 'in_progress' | 'done' | 'canceled';
export type TaskPriority = 'none' | 'low' | 'medium' | 'high' | 'urgent';
export type { RecurrenceRule, Weekday } from '../../lib/recurrence.ts';

export interface ActivityChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface ProjectsTable {
  id: Generated<string>;
  owner_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  archived_at: NullableTimestamp;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ProjectMembersTable {
  project_id: string;
  user_id: string;
  role: MemberRole;
  created_at: CreatedAt;
}

export interface LabelsTable {
  id: Generated<string>;
  project_id: string;
  name: string;
  color: string;
  created_at: CreatedAt;
}

export interface TasksTable {
  id: Generated<string>;
  project_id: string;
  parent_id: string | null;
  created_by: string | null;
  assignee_id: string | null;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>;
  priority: ColumnType<TaskPriority, TaskPriority | undefined, TaskPriority>;
  priority_rank: ReadOnly<number>;
  position: string;
  /** `date` comes back as a string: we set a type parser nowhere, and a whole day has no instant. */
  due_date: ColumnType<string | null, string | null | undefined, string | null>;
  due_local: ColumnType<string | null, string | null | undefined, string | null>;
  due_zone: string | null;
  due_at: NullableTimestamp;
  due_sort: ReadOnly<Date>;
  recurrence: JSONColumnType<RecurrenceRule | null, string | null, string | null>;
  occurrence: ColumnType<number, number | undefined, number>;
  next_occurrence_id: string | null;
  completed_at: NullableTimestamp;
  subtasks_total: ColumnType<number, number | undefined, number>;
  subtasks_done: ColumnType<number, number | undefined, number>;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  search: ReadOnly<string>;
}

export interface TaskLabelsTable {
  task_id: string;
  label_id: string;
}

export interface TaskActivityTable {
  id: Generated<number>;
  task_id: string;
  actor_id: string | null;
  kind: 'created' | 'updated';
  changes: JSONColumnType<ActivityChange[], string, string>;
  created_at: CreatedAt;
}

export interface TaskCommentsTable {
  id: Generated<string>;
  task_id: string;
  author_id: string;
  body: string;
  created_at: CreatedAt;
}

export interface TasksTables {
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  labels: LabelsTable;
  tasks: TasksTable;
  task_labels: TaskLabelsTable;
  task_activity: TaskActivityTable;
  task_comments: TaskCommentsTable;
}
