// The library index: one row per finished video, rebuilt from the sidecars by Library.rescan.
//
// `seq` is the rowid alias so the FTS tables and the tag table can point at rows by a rowid
// that VACUUM never renumbers; `id` is the stable public id kept in the sidecar.
//
// Search: library_fts (FTS5, unicode61, prefix indexes for 1–2 characters) indexes
// `search_text`, which Library fills from the prompt, negative prompt, model, tags and source image names with
// Chinese/Japanese/Korean runs spelled as overlapping character pairs (see search.ts), so
// `飞机` and `猫` hit the index instead of scanning 100,000 prompts. Triggers keep it in sync.
export const LIBRARY_SCHEMA_V1 = `
CREATE TABLE library_items (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  job_id TEXT NOT NULL UNIQUE,
  file_name TEXT NOT NULL UNIQUE,
  bytes INTEGER NOT NULL,
  sha256 TEXT,
  container TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  vendor TEXT,
  prompt TEXT NOT NULL,
  negative_prompt TEXT,
  params TEXT NOT NULL DEFAULT '{}',
  source_images TEXT NOT NULL DEFAULT '[]',
  remote_id TEXT,
  parent_id TEXT,
  lineage TEXT,
  estimated_cost REAL,
  created_at INTEGER NOT NULL,
  completed_at INTEGER NOT NULL,
  favorite INTEGER NOT NULL DEFAULT 0,
  tags TEXT NOT NULL DEFAULT '[]',
  width INTEGER,
  height INTEGER,
  duration_s REAL,
  poster TEXT,
  search_text TEXT NOT NULL DEFAULT '',
  -- The first 64 characters of the prompt, lower-cased: the key of the prompt sort, short
  -- enough for an index that also carries the facets (a filtered prompt sort never reads rows).
  prompt_key TEXT NOT NULL DEFAULT ''
);
-- Each facet index leads with one filter or sort column and carries the others, so the page
-- query (filters + sort, selecting seq only) never reads the wide rows with their prompts.
CREATE INDEX library_items_completed ON library_items(completed_at);
CREATE INDEX library_items_completed_facets ON library_items(completed_at, model, provider, vendor, favorite, bytes);
CREATE INDEX library_items_model ON library_items(model, completed_at, provider, vendor, favorite, bytes);
CREATE INDEX library_items_provider ON library_items(provider, completed_at, model, vendor, favorite, bytes);
CREATE INDEX library_items_vendor ON library_items(vendor, completed_at, model, provider, favorite, bytes);
CREATE INDEX library_items_favorite ON library_items(favorite, completed_at, model, provider, vendor, bytes);
CREATE INDEX library_items_bytes ON library_items(bytes, model, provider, vendor, favorite, completed_at);
CREATE INDEX library_items_prompt ON library_items(prompt_key, model, provider, vendor, favorite, completed_at, bytes);
CREATE INDEX library_items_parent ON library_items(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE library_tags (
  tag TEXT NOT NULL COLLATE NOCASE,
  item_seq INTEGER NOT NULL,
  PRIMARY KEY (tag, item_seq)
) WITHOUT ROWID;
CREATE INDEX library_tags_item ON library_tags(item_seq);

-- A name handed out by Library.reserveName and not yet finalized: keeps two jobs (or two
-- processes) from picking the same file name.
CREATE TABLE library_reservations (
  job_id TEXT PRIMARY KEY,
  file_name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE VIRTUAL TABLE library_fts USING fts5(
  text,
  content='', contentless_delete=1,
  tokenize='unicode61 remove_diacritics 2',
  prefix='1 2'
);

CREATE TRIGGER library_items_ai AFTER INSERT ON library_items BEGIN
  INSERT INTO library_fts(rowid, text) VALUES (new.seq, new.search_text);
  INSERT OR IGNORE INTO library_tags(tag, item_seq) SELECT value, new.seq FROM json_each(new.tags);
END;

CREATE TRIGGER library_items_ad AFTER DELETE ON library_items BEGIN
  DELETE FROM library_fts WHERE rowid = old.seq;
  DELETE FROM library_tags WHERE item_seq = old.seq;
END;

CREATE TRIGGER library_items_au_text AFTER UPDATE OF search_text ON library_items BEGIN
  DELETE FROM library_fts WHERE rowid = old.seq;
  INSERT INTO library_fts(rowid, text) VALUES (new.seq, new.search_text);
END;

CREATE TRIGGER library_items_au_tags AFTER UPDATE OF tags ON library_items BEGIN
  DELETE FROM library_tags WHERE item_seq = old.seq;
  INSERT OR IGNORE INTO library_tags(tag, item_seq) SELECT value, new.seq FROM json_each(new.tags);
END;
`
