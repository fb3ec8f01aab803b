import type { ColumnType } from 'kysely';

/**
 * Column types that recur across every module's `tables.ts`, as Kysely's
 * `ColumnType<read, insert, update>`. Timestamps read as `Date` and accept a `Date` or an ISO string.
 */

/** Set by a database default when the row is inserted; never changed afterwards. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** Defaulted on insert, set by the code on every change. */
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A timestamp the code always provides. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp that is null until something happens (revoked, completed, disabled …). */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** Computed by the database (a generated column, a trigger, an identity): readable, never written. */
export type ReadOnly<T> = ColumnType<T, never, never>;
