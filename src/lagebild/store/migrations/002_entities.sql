-- lagebild store, schema version 2: readable tables of entities and their mentions.
-- Documented in docs/schema.md.  Filled by the writer from `doc.entities`
-- inside each article's transaction (the annotations table keeps the whole items).

-- One row per entity id seen in any article (KB ids like `gpe:ru`, local ids
-- like `local:darya-dolzikowa`); name/type/kb are those of the newest write.
CREATE TABLE entities (
    id   TEXT    NOT NULL PRIMARY KEY,
    name TEXT,
    type TEXT,                       -- PER | ORG | GPE | LOC | MISC
    kb   INTEGER NOT NULL DEFAULT 0  -- 1: a knowledge-base entity; 0: local (unknown to the KB)
);
CREATE INDEX entities_type ON entities (type);

-- One row per mention of an entity in an article's clean text.
CREATE TABLE mentions (
    article_id TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  TEXT    NOT NULL REFERENCES entities (id),
    start      INTEGER NOT NULL,     -- offsets into articles.text (end exclusive)
    end        INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    form       TEXT    NOT NULL,     -- name | short | title | adjective | compound | metonym
    PRIMARY KEY (article_id, start, end, entity_id)
);
CREATE INDEX mentions_entity ON mentions (entity_id);
