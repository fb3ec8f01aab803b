import { type Kysely, sql } from 'kysely';

// Timestamps are timestamptz(3): millisecond precision survives the round trip through a JS Date,
// so a keyset cursor built from one points exactly at the row it came from.

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table projects (
      id uuid primary key default gen_random_uuid(),
      owner_id uuid not null references users (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 200),
      description text not null default '' check (char_length(description) <= 10000),
      archived_at timestamptz(3),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index projects_owner_id_idx on projects (owner_id)`.execute(db);

  await sql`
    create table project_members (
      project_id uuid not null references projects (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      role text not null check (role in ('owner', 'editor', 'viewer')),
      created_at timestamptz(3) not null default now(),
      primary key (project_id, user_id)
    )`.execute(db);
  // "My projects" and every task list across them (GET /api/projects, GET /api/tasks).
  await sql`create index project_members_user_id_idx on project_members (user_id, project_id)`.execute(db);
  await sql`create unique index project_members_one_owner_key on project_members (project_id) where role = 'owner'`.execute(
    db,
  );

  await sql`
    create table labels (
      id uuid primary key default gen_random_uuid(),
      project_id uuid not null references projects (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 50),
      color text not null check (color ~ '^#[0-9a-f]{6}$'),
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create unique index labels_project_name_key on labels (project_id, lower(name))`.execute(db);

  await sql`
    create table tasks (
      id uuid primary key default gen_random_uuid(),
      project_id uuid not null references projects (id) on delete cascade,
      parent_id uuid references tasks (id) on delete cascade,
      created_by uuid references users (id) on delete set null,
      assignee_id uuid references users (id) on delete set null,
      title text not null check (char_length(title) between 1 and 500),
      description text not null default '' check (char_length(description) <= 50000),
      status text not null default 'todo' check (status in ('todo', 'in_progress', 'done', 'canceled')),
      priority text not null default 'none' check (priority in ('none', 'low', 'medium', 'high', 'urgent')),
      -- Priorities sort by urgency, not alphabetically.
      priority_rank smallint generated always as (
        case priority when 'low' then 1 when 'medium' then 2 when 'high' then 3 when 'urgent' then 4 else 0 end
      ) stored,
      -- Fractional index (fractional-indexing keys): compared byte-wise, whatever the database locale.
      position text collate "C" not null,
      -- Due is either a whole day (due_date) or a wall-clock time in a zone (due_local + due_zone);
      -- due_at is the instant it falls due (the day's last millisecond, UTC, for a whole day), for filters.
      due_date date,
      due_local timestamp(0),
      due_zone text,
      due_at timestamptz(3),
      -- Tasks without a due date sort after every dated one, and keyset pagination needs no NULLs.
      due_sort timestamptz(3) generated always as (coalesce(due_at, '9999-12-31 00:00:00+00')) stored,
      recurrence jsonb,
      occurrence integer not null default 1,
      next_occurrence_id uuid references tasks (id) on delete set null,
      completed_at timestamptz(3),
      subtasks_total integer not null default 0,
      subtasks_done integer not null default 0,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      search tsvector generated always as (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', description), 'B')
      ) stored,
      check (due_date is null or due_local is null),
      check ((due_local is null) = (due_zone is null)),
      check ((due_at is null) = (due_date is null and due_local is null)),
      check (recurrence is null or due_at is not null)
    )`.execute(db);
  // One index per sort of a project's list (GET /api/projects/:id/tasks?sort=...), read forwards
  // or backwards; filters on top of a sort are checked against these rows.
  for (const [name, column] of [
    ['due', 'due_sort'],
    ['priority', 'priority_rank'],
    ['created', 'created_at'],
    ['updated', 'updated_at'],
    ['position', 'position'],
  ]) {
    await sql.raw(`create index tasks_project_${name}_idx on tasks (project_id, ${column}, id)`).execute(db);
  }
  // A board column: status filter, manual order within it, and neighbours when moving a task.
  await sql`create unique index tasks_project_status_position_key on tasks (project_id, status, position)`.execute(db);
  // "Assigned to me" (GET /api/tasks?assignee=me), sorted by due; also the assignee FK.
  await sql`create index tasks_assignee_idx on tasks (assignee_id, due_sort, id)`.execute(db);
  // Subtasks of a task, their progress counts, the cycle check; also the parent FK.
  await sql`create index tasks_parent_idx on tasks (parent_id, status)`.execute(db);
  await sql`create index tasks_created_by_idx on tasks (created_by)`.execute(db);
  await sql`create index tasks_next_occurrence_idx on tasks (next_occurrence_id) where next_occurrence_id is not null`.execute(
    db,
  );
  await sql`create index tasks_search_idx on tasks using gin (search)`.execute(db);

  await sql`
    create table task_labels (
      task_id uuid not null references tasks (id) on delete cascade,
      label_id uuid not null references labels (id) on delete cascade,
      primary key (task_id, label_id)
    )`.execute(db);
  // The label filter, and the label FK.
  await sql`create index task_labels_label_idx on task_labels (label_id, task_id)`.execute(db);

  await sql`
    create table task_activity (
      id bigint generated always as identity primary key,
      task_id uuid not null references tasks (id) on delete cascade,
      actor_id uuid references users (id) on delete set null,
      kind text not null check (kind in ('created', 'updated')),
      changes jsonb not null default '[]',
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index task_activity_task_idx on task_activity (task_id, id)`.execute(db);
  await sql`create index task_activity_actor_idx on task_activity (actor_id)`.execute(db);

  await sql`
    create table task_comments (
      id uuid primary key default gen_random_uuid(),
      task_id uuid not null references tasks (id) on delete cascade,
      author_id uuid not null references users (id) on delete cascade,
      body text not null check (char_length(body) between 1 and 10000),
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index task_comments_task_idx on task_comments (task_id, created_at, id)`.execute(db);
  await sql`create index task_comments_author_idx on task_comments (author_id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['task_comments', 'task_activity', 'task_labels', 'tasks', 'labels', 'project_members']) {
    await sql.raw(`drop table ${table}`).execute(db);
  }
  await sql`drop table projects`.execute(db);
}
