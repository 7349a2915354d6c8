-- lagebild store, schema version 4: quantities and claims (who says what, how firmly).
-- Documented in docs/schema.md.  Filled by the writer from `doc.quantities` and
-- `doc.claims` inside each article's transaction (the annotations table keeps the
-- whole items).  Rows of articles stored at version 3 are filled by _migrate from
-- each article's `doc` right after these statements, in the same transaction.

-- One row per quantity (a number with its qualifier, unit and counted thing).
CREATE TABLE quantities (
    article_id   TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    n            INTEGER NOT NULL,     -- index of the item in doc.quantities (= annotations.position)
    start        INTEGER NOT NULL,     -- offsets into articles.text (end exclusive)
    end          INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    value        REAL,                 -- the number; NULL for a range
    low          REAL,                 -- a range's bounds (NULL for a single value)
    high         REAL,
    mod          TEXT,                 -- APPROX | MORE_THAN | LESS_THAN | AT_LEAST | AT_MOST | UP_TO | NEARLY or NULL
    unit         TEXT,                 -- %, EUR, km, t, year … or NULL (a plain count)
    object       TEXT,                 -- the counted thing as written (head noun), or NULL
    object_lemma TEXT,
    measure      TEXT,                 -- comparison key, e.g. count:<lemma>, EUR:; NULL when unknown
    PRIMARY KEY (article_id, n)
);
CREATE INDEX quantities_measure ON quantities (measure);

-- One row per claim: a sentence or clause that states something, with its
-- speaker, the source that relays it, and how firmly it is stated.
CREATE TABLE claims (
    article_id   TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    n            INTEGER NOT NULL,     -- index of the item in doc.claims (= annotations.position)
    start        INTEGER NOT NULL,     -- offsets into articles.text (end exclusive)
    end          INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    status       TEXT,                 -- asserted | reported | quoted | hedged | denied | speculated
    form         TEXT,                 -- direct | indirect | reported | free_indirect or NULL
    speaker_id   TEXT,                 -- entity id of who says it (NULL: no entity, or the outlet itself)
    speaker_text TEXT,                 -- the speaker as written ("Fachleute aus der Branche")
    source_id    TEXT,                 -- entity id of who relays it (an agency, a broadcaster), or NULL
    source_text  TEXT,
    cue_text     TEXT,                 -- the attribution cue as written (laut, sagte, according to …)
    PRIMARY KEY (article_id, n)
);
CREATE INDEX claims_speaker ON claims (speaker_id);
CREATE INDEX claims_source ON claims (source_id);
CREATE INDEX claims_status ON claims (status);

-- The entities a claim is about (doc.claims[n].entities), one row each.
CREATE TABLE claim_entities (
    article_id TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    claim      INTEGER NOT NULL,     -- claims.n
    entity_id  TEXT    NOT NULL,     -- normally an entities.id
    PRIMARY KEY (article_id, claim, entity_id),
    FOREIGN KEY (article_id, claim) REFERENCES claims (article_id, n) ON DELETE CASCADE
);
CREATE INDEX claim_entities_entity ON claim_entities (entity_id);

-- The quantities a claim contains (doc.claims[n].quantities), one row each.
CREATE TABLE claim_quantities (
    article_id TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    claim      INTEGER NOT NULL,     -- claims.n
    quantity   INTEGER NOT NULL,     -- quantities.n
    PRIMARY KEY (article_id, claim, quantity),
    FOREIGN KEY (article_id, claim) REFERENCES claims (article_id, n) ON DELETE CASCADE,
    FOREIGN KEY (article_id, quantity) REFERENCES quantities (article_id, n) ON DELETE CASCADE
);
CREATE INDEX claim_quantities_quantity ON claim_quantities (article_id, quantity);
