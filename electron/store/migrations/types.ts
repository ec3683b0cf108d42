import type { Database } from 'better-sqlite3';

/** One schema step. `version` is the migration's number (multiples of 10 leave room for hotfixes). */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
