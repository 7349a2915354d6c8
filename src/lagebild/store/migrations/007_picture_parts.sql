-- lagebild store, schema version 7: the cached picture in parts.
-- Documented in docs/schema.md.  Version 6 kept picture.json as one JSON text: saving it made the
-- whole text at once (at 100,000 articles some 250 MB, several times that while it was encoded and
-- bound), and loading it read it whole.  Now each top-level section is kept in parts of at most
-- a few hundred items, written and read one part at a time.  The cache is recomputed when missing,
-- so the old row is dropped rather than converted (and any parts with it).

DROP TABLE IF EXISTS picture_cache;
DROP TABLE IF EXISTS picture_parts;

CREATE TABLE picture_cache (
    id          INTEGER PRIMARY KEY CHECK (id = 1),  -- one row at most
    fingerprint TEXT    NOT NULL,                    -- Store.fingerprint() when it was computed
    built_at    TEXT    NOT NULL,                    -- UTC, ISO 8601
    parts       INTEGER NOT NULL CHECK (parts >= 0)  -- rows in picture_parts
);

CREATE TABLE picture_parts (
    seq     INTEGER PRIMARY KEY,                    -- order: 0, 1, 2 …
    section TEXT    NOT NULL,                       -- a top-level key of picture.json
    json    TEXT    NOT NULL CHECK (json_valid(json))
    -- a list section: a JSON array of consecutive items; an object section: a JSON object of
    -- consecutive members; anything else: the value itself, in one part
);
