// Schema versions, applied in order by openDatabase. Never edit a shipped migration: add one.
import { JOBS_SCHEMA_V1 } from '../jobs/schema'
import { LIBRARY_SCHEMA_V1 } from '../library/schema'

export interface Migration {
  version: number
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, sql: JOBS_SCHEMA_V1 },
  { version: 2, sql: LIBRARY_SCHEMA_V1 }
]
