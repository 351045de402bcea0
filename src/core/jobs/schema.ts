import type { Db } from '../db/database'

// Jobs, their events, the spend ledger, learned model durations and small settings.
export const JOBS_SCHEMA_V1 = `
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  batch_id TEXT,
  parent_id TEXT,
  lineage TEXT,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  vendor TEXT,
  spec TEXT NOT NULL,
  state TEXT NOT NULL,
  progress INTEGER,
  downloaded_bytes INTEGER NOT NULL DEFAULT 0,
  download_total INTEGER,
  remote_id TEXT,
  external_id TEXT NOT NULL UNIQUE,
  result_urls TEXT,
  result_expires_at INTEGER,
  estimated_cost REAL,
  error TEXT,
  note TEXT,
  file_name TEXT,
  library_item_id TEXT,
  create_attempts INTEGER NOT NULL DEFAULT 0,
  poll_count INTEGER NOT NULL DEFAULT 0,
  poll_errors INTEGER NOT NULL DEFAULT 0,
  last_polled_at INTEGER,
  next_attempt_at INTEGER,
  remote_done_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  submitted_at INTEGER,
  completed_at INTEGER,
  rev INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_rev ON jobs(rev);
CREATE INDEX jobs_state ON jobs(state);
CREATE INDEX jobs_batch ON jobs(batch_id);
CREATE INDEX jobs_created ON jobs(created_at);
CREATE UNIQUE INDEX jobs_remote ON jobs(provider, remote_id) WHERE remote_id IS NOT NULL;

CREATE TABLE job_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX job_events_job ON job_events(job_id);

CREATE TABLE spend (
  job_id TEXT PRIMARY KEY,
  day TEXT NOT NULL,
  model TEXT NOT NULL,
  amount REAL NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX spend_day ON spend(day);

CREATE TABLE model_durations (
  job_id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  seconds REAL NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX model_durations_model ON model_durations(model, at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`

// Named API keys (the secrets stay in the keychain; here only labels, caps and which job used
// which). The key a person had before names existed is the profile 'default'. Written so it can be
// applied again to a database that already has it (a test, or a restored copy whose user_version
// went back): every step checks first.
export function addNamedKeys(db: Db): void {
  db.exec(`
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  daily_cap REAL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_label ON api_keys(label COLLATE NOCASE);
INSERT OR IGNORE INTO api_keys (id, label, daily_cap, created_at) VALUES ('default', 'Main', NULL, 0);
`)
  const has = (table: string, column: string): boolean => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column)
  if (!has('jobs', 'key_id')) db.exec("ALTER TABLE jobs ADD COLUMN key_id TEXT NOT NULL DEFAULT 'default'")
  if (!has('spend', 'key_id')) db.exec("ALTER TABLE spend ADD COLUMN key_id TEXT NOT NULL DEFAULT 'default'")
  db.exec('CREATE INDEX IF NOT EXISTS jobs_key ON jobs(key_id); CREATE INDEX IF NOT EXISTS spend_key_day ON spend(key_id, day);')
}
