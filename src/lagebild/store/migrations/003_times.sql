-- lagebild store, schema version 3: time expressions as calendar spans, searchable by date.
-- Documented in docs/schema.md.  Filled by the writer from `doc.times` inside each
-- article's transaction (the annotations table keeps the whole items).

-- One row per time expression of an article's clean text.
CREATE TABLE times (
    article_id TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,     -- offsets into articles.text (end exclusive)
    end        INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    type       TEXT,                 -- DATE | TIME | DURATION | SET
    value      TEXT,                 -- TIMEX3-style value: 2024-06-19, 2024-05, 2023-W31, 195X, P3M, PAST_REF …
    mod        TEXT,                 -- START | MID | END | APPROX | BEFORE | AFTER | … or NULL
    anchor     TEXT,                 -- absolute | publication | previous
    first_day  TEXT,                 -- the calendar span the value covers (ISO dates), NULL when it has none
    last_day   TEXT,
    PRIMARY KEY (article_id, start, end)
);
CREATE INDEX times_span ON times (first_day, last_day);
