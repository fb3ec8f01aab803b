import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { ActivityChange } from './tables.ts';

/**
 * A task's history and discussion: the activity log (who changed which fields from what to what,
 * written in the same transaction as the change) and comments.
 */

export async function recordActivity(
  trx: Trx,
  taskId: string,
  actorId: string,
  kind: 'created' | 'updated',
  changes: ActivityChange[],
) {
  await trx
    .insertInto('task_activity')
    .values({ task_id: taskId, actor_id: actorId, kind, changes: JSON.stringify(changes) })
    .execute();
}

/** Oldest first, keyset-paginated on the identity id (served by task_activity_task_idx). */
export function listActivity(db: Db, taskId: string, options: { limit: number; afterId?: number | undefined }) {
  let query = db
    .selectFrom('task_activity as a')
    .leftJoin('user_profiles as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.actor_id', 'u.username', 'a.kind', 'a.changes', 'a.created_at'])
    .where('a.task_id', '=', taskId);
  if (options.afterId !== undefined) query = query.where('a.id', '>', options.afterId);
  return query
    .orderBy('a.id')
    .limit(options.limit + 1)
    .execute();
}

export type ActivityRow = Awaited<ReturnType<typeof listActivity>>[number];

const commentColumns = ['c.id', 'c.task_id', 'c.author_id', 'u.username', 'u.image', 'c.body', 'c.created_at'] as const;

/** Oldest first, keyset-paginated on (created_at, id) (task_comments_task_idx). */
export function listComments(
  db: Db,
  taskId: string,
  options: { limit: number; after?: { createdAt: string; id: string } | undefined },
) {
  let query = db
    .selectFrom('task_comments as c')
    .innerJoin('user_profiles as u', 'u.id', 'c.author_id')
    .select(commentColumns)
    .where('c.task_id', '=', taskId);
  if (options.after) {
    const { createdAt, id } = options.after;
    query = query.where(sql<boolean>`(c.created_at, c.id) > (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  return query
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(options.limit + 1)
    .execute();
}

export type CommentRow = Awaited<ReturnType<typeof listComments>>[number];

export function findComment(db: Db, taskId: string, commentId: string) {
  return db
    .selectFrom('task_comments as c')
    .innerJoin('user_profiles as u', 'u.id', 'c.author_id')
    .select(commentColumns)
    .where('c.task_id', '=', taskId)
    .where('c.id', '=', commentId)
    .executeTakeFirst();
}

export async function insertComment(db: Db, taskId: string, authorId: string, body: string) {
  const row = await db
    .insertInto('task_comments')
    .values({ task_id: taskId, author_id: authorId, body })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteComment(db: Db, commentId: string) {
  await db.deleteFrom('task_comments').where('id', '=', commentId).execute();
}
