// Schema versions, applied in order by openDatabase. Never edit a shipped migration: add one.
import { addNamedKeys, JOBS_SCHEMA_V1 } from '../jobs/schema'
import type { Db } from './database'
import { reindexSearchText } from '../library/library'

import { LIBRARY_SCHEMA_V1 } from '../library/schema'
import { WATCH_SCHEMA_V5 } from '../watch/schema'

export interface Migration {
  version: number
  sql: string
  /** Work SQL alone cannot do, run in the same transaction after `sql`. */
  run?: (db: Db) => void
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, sql: JOBS_SCHEMA_V1 },
  { version: 2, sql: LIBRARY_SCHEMA_V1 },
  // Library search also looks in the source images' names: recompute the rows indexed before.
  { version: 3, sql: '', run: reindexSearchText },
  // Named keys: each job and each spend row remembers the key it was sent with.
  { version: 4, sql: '', run: addNamedKeys },
  // Watched folders and what became of each file in them.
  { version: 5, sql: WATCH_SCHEMA_V5 }
]
