import type { ColumnType } from 'kysely';
import type { CreatedAt } from '../../db/column-types.ts';

/** The realtime event log (migration 20261201000100_realtime_events). */
export interface RealtimeTopicsTable {
  topic: string;
  last_id: number;
}

export interface RealtimeEventsTable {
  topic: string;
  id: number;
  type: string;
  data: ColumnType<unknown, string, string>;
  audience: ColumnType<string[], string[], string[]>;
  created_at: CreatedAt;
}

export interface RealtimeTables {
  realtime_topics: RealtimeTopicsTable;
  realtime_events: RealtimeEventsTable;
}
