-- lagebild store, schema version 6: the computed picture, cached for the web app.
-- Documented in docs/schema.md.  Written by lagebild.api.build / write_picture after
-- update_stories (Store.save_picture); read by lagebild.web (Store.load_picture).
-- Computing the picture reads every article, so it is kept here with the store
-- fingerprint (Store.fingerprint) it was computed at; a different fingerprint means stale.

CREATE TABLE IF NOT EXISTS picture_cache (
    id          INTEGER PRIMARY KEY CHECK (id = 1),  -- one row at most
    fingerprint TEXT    NOT NULL,                    -- Store.fingerprint() when it was computed
    built_at    TEXT    NOT NULL,                    -- UTC, ISO 8601
    json        TEXT    NOT NULL CHECK (json_valid(json))  -- picture.json (schema/picture.schema.json)
);

-- Store.fingerprint() reads max(updated_at): an index keeps that one lookup.
CREATE INDEX IF NOT EXISTS articles_updated ON articles (updated_at);
-- The web app's entity page: an entity's articles, newest first.
CREATE INDEX IF NOT EXISTS mentions_entity_article ON mentions (entity_id, article_id);
