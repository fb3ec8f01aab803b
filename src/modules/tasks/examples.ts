/**
 * The example values the OpenAPI document shows for the tasks module's main operations: Ada's
 * "Launch" project, Grace added as an editor, and one task from creation to "in progress". A test
 * checks each against its schema and sends each request example to its route.
 */

const ADA = '7a7ab230-5b0b-48da-97a8-51dbf5d00b01';
const GRACE = '428f82fe-4059-4f09-b30d-c1c2abe4c376';
const PROJECT = '73c5be35-9b3b-4e4a-b5fc-d05bde83013a';
const TASK = '5878c9d6-a446-4a53-8551-9fb54f6f34a6';
const CREATED = '2026-12-01T09:30:00.000Z';

export const newProject = { name: 'Launch', description: 'Everything for the **v1** launch' };
export const project = {
  id: PROJECT,
  ...newProject,
  ownerId: ADA,
  role: 'owner' as const,
  archived: false,
  archivedAt: null,
  version: 1,
  createdAt: CREATED,
  updatedAt: CREATED,
};

export const newMember = { username: 'grace', role: 'editor' as const };
export const member = { userId: GRACE, username: 'grace', image: null, role: 'editor' as const, addedAt: CREATED };

export const newTask = {
  title: 'Write the release notes',
  description: 'What changed since **0.9**',
  priority: 'high' as const,
  due: { date: '2026-12-10' },
  assigneeId: GRACE,
};
export const taskChange = { status: 'in_progress' as const };
export const task = {
  id: TASK,
  projectId: PROJECT,
  parentId: null,
  title: newTask.title,
  description: newTask.description,
  status: taskChange.status,
  priority: newTask.priority,
  due: { date: '2026-12-10', at: '2026-12-10T23:59:59.999Z' },
  assigneeId: GRACE,
  labelIds: [] as string[],
  position: 'a0',
  recurrence: null,
  occurrence: 1,
  nextOccurrenceId: null,
  progress: { done: 0, total: 0 },
  completedAt: null,
  createdBy: ADA,
  version: 2,
  createdAt: CREATED,
  updatedAt: '2026-12-01T09:45:00.000Z',
};

export const newComment = { body: 'A draft is in the wiki.' };
export const comment = {
  id: 'f6529538-58ad-417b-bace-2192c7f1627c',
  taskId: TASK,
  author: { id: GRACE, username: 'grace', image: null },
  body: newComment.body,
  createdAt: '2026-12-01T10:00:00.000Z',
};
