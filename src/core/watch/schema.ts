// Watched folders and what became of each file in them (owned by watch/watchStore.ts).
// A folder's files are keyed by the folder's real path, not by its row: the CLI's `watch` and a
// folder removed and added again share what was sent, so an image is never sent twice from there.
export const WATCH_SCHEMA_V5 = `
CREATE TABLE IF NOT EXISTS watch_folders (
  id TEXT PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  recipe TEXT NOT NULL,
  paused INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS watch_files (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  folder TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  hash TEXT,
  outcome TEXT NOT NULL,
  job_id TEXT,
  duplicate_of TEXT,
  recipe_key TEXT,
  reason TEXT,
  errors TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS watch_files_name ON watch_files(folder, name, seq);
CREATE UNIQUE INDEX IF NOT EXISTS watch_files_sent ON watch_files(folder, hash) WHERE outcome = 'queued';
`
