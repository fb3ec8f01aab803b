import { createHash } from 'node:crypto';
import { generateNKeysBetween } from 'fractional-indexing';
import type pg from 'pg';
import { hashPassword } from '../src/modules/auth/accounts/passwords.ts';
import { seedExpenses } from './seed-expenses.ts';
import { ownerOfBenchNote, seedNotesSql } from './seed-notes.ts';
import { seedQuiz } from './seed-quiz.ts';

/** How much data one size holds. Counts are exact; contents are deterministic functions of the row number. */
export interface SeedPlan {
  users: number;
  articles: number;
  tags: number;
  /** follows, and favorites, per user */
  followsPerUser: number;
  favoritesPerUser: number;
  comments: number;
  /** projects (owned by users 1..projects, with the next two users as editors), tasks in each */
  projects: number;
  tasksPerProject: number;
  /** expense transactions, shared evenly by the first `expenseUsers` users over `expenseYears` years
   * each (bench/seed-expenses.ts): keep transactions / users / years the same on every size, so a
   * user's monthly density is too (≈ 17 transactions a month) */
  expenseTransactions: number;
  expenseUsers: number;
  expenseYears: number;
  /** notes (bench/seed-notes.ts), each with one revision */
  notes: number;
}

export const PLANS = {
  small: {
    users: 1_000,
    articles: 10_000,
    tags: 50,
    followsPerUser: 20,
    favoritesPerUser: 20,
    comments: 10_000,
    projects: 200,
    tasksPerProject: 25,
    expenseTransactions: 10_000,
    expenseUsers: 10,
    expenseYears: 5,
    notes: 20_000,
  },
  large: {
    users: 100_000,
    articles: 1_000_000,
    tags: 200,
    followsPerUser: 20,
    favoritesPerUser: 20,
    comments: 1_000_000,
    projects: 20_000,
    tasksPerProject: 25,
    expenseTransactions: 1_000_000,
    expenseUsers: 200,
    expenseYears: 25,
    notes: 1_000_000,
  },
} satisfies Record<string, SeedPlan>;

export type Size = keyof typeof PLANS;

/** Every seeded user has this password, so log-in scenarios can use any of them. */
export const BENCH_PASSWORD = 'bench-password-not-common';
export const benchUsername = (i: number) => `user${i}`;
export const benchEmail = (i: number) => `user${i}@bench.example`;
export const benchSlug = (i: number) => `bench-article-${i}`;
export const benchTag = (i: number) => `tag${i}`;

export const benchProjectId = (p: number) => md5Uuid(`project${p}`);
export const benchUserId = (i: number) => md5Uuid(`user${i}`);

function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Deterministic ids: user i is md5('user' || i) as a uuid, so other rows can name their user
// without a join.
const USER_ID = (expr: string) => `md5('user' || (${expr}))::uuid`;

/**
 * Fills a migrated database. Rows are generated inside PostgreSQL (`insert … select from
 * generate_series`), which loads a million rows in seconds instead of shipping them over the wire;
 * pseudo-random choices are arithmetic on the row number, so every run builds the same data.
 */
export async function seed(client: pg.Client, plan: SeedPlan, log: (line: string) => void): Promise<void> {
  const timed = async (label: string, sql: string, params: unknown[] = []) => {
    const started = Date.now();
    const result = await client.query(sql, params);
    log(`${label}: ${result.rowCount ?? 0} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };

  // One real argon2id hash shared by all users: hashing 100k passwords would take minutes and
  // tell us nothing.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  await timed(
    'users',
    `insert into users (id, email, username, password_hash, bio, created_at, updated_at, email_verified_at)
     select ${USER_ID('i')}, 'user' || i || '@bench.example', 'user' || i, $1,
            case when i % 3 = 0 then 'Writer number ' || i end,
            now() - make_interval(mins => i), now() - make_interval(mins => i), now()
     from generate_series(1, $2::int) as i`,
    [passwordHash, plan.users],
  );
  await seedBlog(plan, timed);
  await seedTasks(plan, timed);
  await seedExpenses(plan, timed);
  for (const [k, statement] of seedNotesSql(plan.notes, ownerOfBenchNote(plan.users)).entries()) {
    await timed(['notes', 'note revisions', 'note sync state'][k] ?? 'notes', statement);
  }
  await seedQuiz(plan, timed);
}

type Timed = (label: string, sql: string, params?: unknown[]) => Promise<void>;

/** Articles by every user, three tags each, follows, favorites and comments; counters follow by trigger. */
async function seedBlog(plan: SeedPlan, timed: Timed): Promise<void> {
  const { users, articles, tags } = plan;
  await timed('tags', `insert into blog_tags (name) select 'tag' || i from generate_series(1, $1::int) as i`, [tags]);
  await timed(
    'articles',
    `insert into blog_articles (slug, author_id, title, description, body, created_at, updated_at)
     select 'bench-article-' || i, ${USER_ID(`1 + (i::bigint * 7919) % ${users}`)},
            'Article number ' || i, 'What article ' || i || ' is about',
            repeat('Markdown body of article ' || i || '. ', 12),
            now() - make_interval(secs => i * 30), now() - make_interval(secs => i * 30)
     from generate_series(1, $1::int) as i`,
    [articles],
  );
  // Tag popularity is skewed on purpose (tag1 is on far more articles than tag200), as in life.
  await timed(
    'article tags',
    `insert into blog_article_tags (article_id, tag_id, article_created_at)
     select a.id, t.tag_id, a.created_at
     from blog_articles a
     cross join lateral (values (1 + a.id % 7 % $1::int), (1 + a.id % $1::int), (1 + (a.id * 13) % $1::int)) as t (tag_id)
     on conflict do nothing`,
    [tags],
  );
  // What the API writes with an article's tags: their names on the article, in name order.
  await timed(
    'article tag lists',
    `update blog_articles a set tag_list = t.names
     from (select at.article_id, array_agg(t.name order by t.name) as names
           from blog_article_tags at join blog_tags t on t.id = at.tag_id group by at.article_id) t
     where a.id = t.article_id`,
  );
  await timed(
    'follows',
    `insert into blog_follows (follower_id, followee_id)
     select ${USER_ID('u')}, ${USER_ID(`1 + (u * 31 + k * 977) % ${users}`)}
     from generate_series(1, $1::int) as u, generate_series(1, $2::int) as k
     where 1 + (u * 31 + k * 977) % ${users} <> u
     on conflict do nothing`,
    [users, plan.followsPerUser],
  );
  await timed(
    'favorites',
    `insert into blog_favorites (user_id, article_id, article_created_at)
     select ${USER_ID('u')}, a.id, a.created_at
     from generate_series(1, $1::int) as u
     cross join generate_series(1, $2::int) as k
     join blog_articles a on a.id = 1 + (u::bigint * 131 + k * 104729) % ${articles}
     on conflict do nothing`,
    [users, plan.favoritesPerUser],
  );
  await timed(
    'comments',
    `insert into blog_comments (article_id, author_id, body, created_at, updated_at)
     select 1 + (j * 17) % ${articles}, ${USER_ID(`1 + (j * 53) % ${users}`)}, 'Comment ' || j || ' on this article.',
            now() - make_interval(secs => j), now() - make_interval(secs => j)
     from generate_series(1, $1::int) as j`,
    [plan.comments],
  );
}

/** Projects with three members each and tasks spread over statuses, priorities, assignees and due dates. */
async function seedTasks(plan: SeedPlan, timed: Timed): Promise<void> {
  const { projects, tasksPerProject } = plan;
  const PROJECT_ID = (expr: string) => `md5('project' || (${expr}))::uuid`;
  await timed(
    'projects',
    `insert into projects (id, owner_id, name, description)
     select ${PROJECT_ID('p')}, ${USER_ID('p')}, 'Project ' || p, 'Bench project number ' || p
     from generate_series(1, $1::int) as p`,
    [projects],
  );
  await timed(
    'project members',
    `insert into project_members (project_id, user_id, role)
     select ${PROJECT_ID('p')}, ${USER_ID(`1 + (p - 1 + m) % ${plan.users}`)}, case m when 0 then 'owner' else 'editor' end
     from generate_series(1, $1::int) as p, generate_series(0, 2) as m`,
    [projects],
  );
  // Real fractional-indexing keys, so moving a seeded task works as it would for any other.
  const positions = generateNKeysBetween(null, null, tasksPerProject);
  await timed(
    'tasks',
    `insert into tasks (project_id, created_by, assignee_id, title, description, status, priority, position,
                        due_date, due_at, completed_at, created_at, updated_at)
     select ${PROJECT_ID('p')}, ${USER_ID('p')}, ${USER_ID(`1 + (p - 1 + k % 3) % ${plan.users}`)},
            'Task ' || k || ' of project ' || p, 'Details of task ' || k || ': review, write, ship.',
            (array['todo', 'in_progress', 'done', 'canceled'])[1 + k % 4],
            (array['none', 'low', 'medium', 'high', 'urgent'])[1 + (k * 7) % 5],
            ($2::text[])[k],
            d, (d + 1)::timestamp at time zone 'UTC' - interval '1 millisecond',
            case when k % 4 = 2 then now() end,
            now() - make_interval(mins => p * ${tasksPerProject} + k), now() - make_interval(mins => p * ${tasksPerProject} + k)
     from generate_series(1, $1::int) as p, generate_series(1, ${tasksPerProject}) as k,
          lateral (select case when k % 3 <> 0 then current_date + (k * 3 - 30) end as d) as due`,
    [projects, positions],
  );
}
