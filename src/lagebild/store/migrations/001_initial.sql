-- lagebild store, schema version 1: the initial layout.
-- Documented in docs/schema.md.  Applied by lagebild.store._migrate inside one
-- transaction together with `PRAGMA user_version = 1`.  Rules for migration
-- files: never edit one that has shipped; add NNN_name.sql with the next number.

-- One row per article.  `doc` holds the complete article JSON (Article.to_dict())
-- and is the source of truth; the other columns and the child tables below are
-- readable copies of parts of it, rewritten whenever the article is written.
CREATE TABLE articles (
    id                 TEXT    NOT NULL PRIMARY KEY,   -- stable content hash
    seq                INTEGER NOT NULL UNIQUE,        -- insertion number; = articles_fts.rowid
    title              TEXT,
    outlet             TEXT,
    language           TEXT,
    published_value    TEXT,                           -- best guess, ISO date or datetime
    published_earliest TEXT,
    published_latest   TEXT,
    published_source   TEXT    NOT NULL DEFAULT 'unknown',  -- metadata | inferred | unknown
    text               TEXT    NOT NULL,               -- clean text; annotation offsets point here
    raw_text           TEXT    NOT NULL,               -- as read
    duplicate_group    TEXT,
    duplicate_of       TEXT,
    schema_version     TEXT    NOT NULL,               -- version of the article JSON in `doc`
    created_at         TEXT    NOT NULL,               -- UTC, ISO 8601
    updated_at         TEXT    NOT NULL,
    doc                TEXT    NOT NULL CHECK (json_valid(doc))
);
CREATE INDEX articles_outlet ON articles (outlet);
CREATE INDEX articles_language ON articles (language);
CREATE INDEX articles_published ON articles (published_value);
CREATE INDEX articles_duplicate_group ON articles (duplicate_group);

-- Where each article was read from; the same article read from two files has two rows.
CREATE TABLE sources (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,    -- file path, URL, '-' (stdin), 'path#N' inside a container
    format     TEXT NOT NULL,    -- text | html | json | jsonl | warc
    url        TEXT,
    encoding   TEXT,
    record     TEXT,
    PRIMARY KEY (article_id, source)
);
CREATE INDEX sources_source ON sources (source);

-- News agencies credited by the article (dpa, AFP, Reuters ...).
CREATE TABLE agencies (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    agency     TEXT NOT NULL,
    PRIMARY KEY (article_id, agency)
);
CREATE INDEX agencies_agency ON agencies (agency);

-- Raw lines removed as page furniture, one row per line, with the reason.
CREATE TABLE removed_lines (
    article_id TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    line       INTEGER NOT NULL,  -- 1-based line number in raw_text
    reason     TEXT    NOT NULL,
    PRIMARY KEY (article_id, line)
);

-- Paragraphs of an article also found in other articles (agency copy).
CREATE TABLE shared_paragraphs (
    article_id TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start      INTEGER,           -- offsets into articles.text
    end        INTEGER,
    hash       TEXT,
    n_articles INTEGER,           -- how many articles contain the paragraph
    n_outlets  INTEGER            -- from how many outlets
);
CREATE INDEX shared_paragraphs_article ON shared_paragraphs (article_id);
CREATE INDEX shared_paragraphs_hash ON shared_paragraphs (hash);

-- Stand-off annotations of every layer; `data` is the whole item as JSON.
CREATE TABLE annotations (
    id         INTEGER PRIMARY KEY,
    article_id TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    layer      TEXT    NOT NULL CHECK (layer IN ('entities', 'times', 'quantities', 'claims', 'events')),
    position   INTEGER NOT NULL,  -- index of the item in its layer's list
    start      INTEGER,           -- offsets into articles.text (NULL when the item has none)
    end        INTEGER,
    text       TEXT,
    data       TEXT    NOT NULL CHECK (json_valid(data))
);
CREATE INDEX annotations_article ON annotations (article_id, layer);
CREATE INDEX annotations_layer_text ON annotations (layer, text);

-- One row per `lagebild build`.
CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    started_at       TEXT    NOT NULL,
    finished_at      TEXT,             -- NULL while running or after a crash
    inputs           TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(inputs)),
    articles_new     INTEGER,
    articles_updated INTEGER,
    failed           INTEGER,
    config           TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(config))
);

-- Inputs a run could not read, with the one-line message.
CREATE TABLE input_errors (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source     TEXT    NOT NULL,
    error      TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX input_errors_run ON input_errors (run_id);

-- Full-text index over title and text, as written and German-folded
-- (ä→ae, ö→oe, ü→ue, ß→ss, diacritics removed).  rowid = articles.seq.
-- Kept in sync by the writer inside each article's transaction.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    article_id UNINDEXED,
    title,
    text,
    title_folded,
    text_folded,
    tokenize = "unicode61 remove_diacritics 2"
);

-- Deleting an article (e.g. by hand in the sqlite3 shell) removes its index
-- entry too; the child tables follow by ON DELETE CASCADE.
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.seq;
END;
