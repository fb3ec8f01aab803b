import type { ActivityRow, CommentRow } from './activity-repository.ts';
import { dueFromColumns, dueToApi } from './due.ts';
import type { LabelRow, MemberRow, ProjectRow } from './project-repository.ts';
import type { ActivityDto, CommentDto, LabelDto, MemberDto, ProjectDto, TaskDto } from './schemas.ts';
import type { TaskRow } from './task-repository.ts';

/** The one place rows of this module become API objects. */

const iso = (value: Date) => value.toISOString();
const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

export function toProject(row: ProjectRow): ProjectDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    ownerId: row.owner_id,
    role: row.role,
    archived: row.archived_at !== null,
    archivedAt: isoOrNull(row.archived_at),
    version: row.version,
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
    addedAt: iso(row.created_at),
  };
}

export function toLabel(row: LabelRow): LabelDto {
  return { id: row.id, projectId: row.project_id, name: row.name, color: row.color, createdAt: iso(row.created_at) };
}

export function toTask(row: TaskRow): TaskDto {
  return {
    id: row.id,
    projectId: row.project_id,
    parentId: row.parent_id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    due: dueToApi(dueFromColumns(row)),
    assigneeId: row.assignee_id,
    labelIds: row.label_ids ?? [],
    position: row.position,
    recurrence: row.recurrence,
    occurrence: row.occurrence,
    nextOccurrenceId: row.next_occurrence_id,
    progress: { done: row.subtasks_done, total: row.subtasks_total },
    completedAt: isoOrNull(row.completed_at),
    createdBy: row.created_by,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toActivity(row: ActivityRow): ActivityDto {
  return {
    id: Number(row.id),
    actor: row.actor_id && row.username ? { id: row.actor_id, username: row.username } : null,
    kind: row.kind,
    changes: row.changes,
    createdAt: iso(row.created_at),
  };
}

export function toComment(row: CommentRow): CommentDto {
  return {
    id: row.id,
    taskId: row.task_id,
    author: { id: row.author_id, username: row.username, image: row.image },
    body: row.body,
    createdAt: iso(row.created_at),
  };
}
