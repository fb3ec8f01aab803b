import type { IdempotencyTables } from '../core/idempotency.ts';
import type { RealtimeTables } from '../core/realtime/tables.ts';
import type { AuthTables } from '../modules/auth/tables.ts';
import type { BlogTables } from '../modules/blog/tables.ts';
import type { ExpensesTables } from '../modules/expenses/tables.ts';
import type { FilesTables } from '../modules/files/tables.ts';
import type { MessagesTables } from '../modules/messages/tables.ts';
import type { NotesTables } from '../modules/notes/tables.ts';
import type { QuizTables } from '../modules/quiz/tables.ts';
import type { TasksTables } from '../modules/tasks/tables.ts';

/**
 * The whole database as Kysely sees it. Each module declares the tables it owns in its own
 * `tables.ts` and they are joined here, so a query anywhere is checked against the real schema.
 */
export interface Database
  extends AuthTables,
    IdempotencyTables,
    RealtimeTables,
    BlogTables,
    TasksTables,
    FilesTables,
    MessagesTables,
    ExpensesTables,
    NotesTables,
    QuizTables {}
