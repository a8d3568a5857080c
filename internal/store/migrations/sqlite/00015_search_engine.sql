-- +goose Up
-- Search in its own package (internal/search), the SQLite side of
-- migrations/postgres/00015_search_engine.sql: the same documents (rebuilt from the
-- resources right after the migrations by search.Engine.Reindex), matched by FTS5, and
-- the vocabulary typing errors are corrected against. The name trigrams of 00002 go:
-- typing errors are now corrected word by word (package textsearch).
DROP TRIGGER projects_search;
DROP TRIGGER solutions_search;
DROP TRIGGER cooperations_search;
DROP TRIGGER partners_search;
DROP TRIGGER search_documents_ad;
DROP TABLE search_trigrams;
DROP TABLE search_fts;
DROP TABLE search_documents;

CREATE TABLE search_documents (
    id            INTEGER PRIMARY KEY,  -- the FTS5 rowid
    resource_type text NOT NULL,
    resource_id   text NOT NULL,
    doc_version   integer NOT NULL,
    live          integer NOT NULL,     -- 1 unless the resource is soft-deleted
    status        text,                 -- a project's status
    category      text,                 -- a project's category
    body_len      integer NOT NULL,     -- length of the folded body text: ranks body hits
    name_fold     text NOT NULL,        -- textsearch.Fold(name or title): exact matches, order
    slug_fold     text NOT NULL,        -- textsearch.Fold(slug): exact matches
    UNIQUE (resource_id, resource_type)
);
CREATE INDEX search_documents_name_fold ON search_documents (name_fold);
CREATE INDEX search_documents_slug_fold ON search_documents (slug_fold);

-- The token documents (textsearch.Document of the name; of the alternative names; of
-- the body), keyed by search_documents.id. Contentless: not stored twice.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_doc, alt_doc, body_doc,
    content='', contentless_delete=1,
    tokenize='ascii', prefix='2 3 4', detail='column'
);

-- +goose StatementBegin
CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
    DELETE FROM search_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER partners_search AFTER UPDATE OF deleted_at ON partners BEGIN
    UPDATE search_documents SET live = new.deleted_at IS NULL
     WHERE resource_type = 'partner' AND resource_id = new.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cooperations_search AFTER UPDATE OF deleted_at ON cooperations BEGIN
    UPDATE search_documents SET live = new.deleted_at IS NULL
     WHERE resource_type = 'cooperation' AND resource_id = new.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER solutions_search AFTER UPDATE OF deleted_at ON solutions BEGIN
    UPDATE search_documents SET live = new.deleted_at IS NULL
     WHERE resource_type = 'solution' AND resource_id = new.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER projects_search AFTER UPDATE OF deleted_at, status, category ON projects BEGIN
    UPDATE search_documents SET live = new.deleted_at IS NULL, status = new.status, category = new.category
     WHERE resource_type = 'project' AND resource_id = new.id;
END;
-- +goose StatementEnd

-- The vocabulary for typing errors (see the PostgreSQL side).
CREATE TABLE search_words (
    id   INTEGER PRIMARY KEY,
    word text NOT NULL UNIQUE
);
CREATE TABLE search_word_trigrams (
    trigram text NOT NULL,
    word_id integer NOT NULL REFERENCES search_words (id) ON DELETE CASCADE,
    PRIMARY KEY (trigram, word_id)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE search_word_trigrams;
DROP TABLE search_words;
DROP TRIGGER projects_search;
DROP TRIGGER solutions_search;
DROP TRIGGER cooperations_search;
DROP TRIGGER partners_search;
DROP TRIGGER search_documents_ad;
DROP TABLE search_fts;
DROP TABLE search_documents;
-- The search of 00002 and 00005 as it was (empty: the store of that version reindexes).
CREATE TABLE search_documents (
    id            INTEGER PRIMARY KEY,
    resource_type text NOT NULL,
    resource_id   text NOT NULL,
    doc_version   integer NOT NULL,
    live          integer NOT NULL,  -- 1 unless the resource is soft-deleted
    status        text,              -- a project's status, for facets
    category      text,              -- a project's category, for facets
    body_len      integer NOT NULL,  -- length of the folded body text: ranks body hits
    name_fold     text NOT NULL,     -- textsearch.Fold(name or title): exact and typo matches, ties
    slug_fold     text NOT NULL,     -- textsearch.Fold(slug): exact matches
    UNIQUE (resource_type, resource_id)
);

-- The token documents (textsearch.Document of the name; of the short name, slug and
-- tags; of the description), keyed by search_documents.id and written by the store.
-- Contentless: the documents are not stored twice. Tokens are [a-z0-9]; prefix
-- indexes make short prefix terms cheap; column detail serves the title ranking.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_doc, alt_doc, body_doc,
    content='', contentless_delete=1,
    tokenize='ascii', prefix='2 3 4', detail='column'
);

-- +goose StatementBegin
CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
    DELETE FROM search_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- The distinct pg_trgm-style trigrams of each name_fold (textsearch.Trigrams): typo
-- candidates are names sharing enough trigrams with the query, then scored exactly
-- with ikz_word_similarity (textsearch.WordSimilarity, registered by the store).
CREATE TABLE search_trigrams (
    trigram text NOT NULL,
    doc_id  integer NOT NULL REFERENCES search_documents(id) ON DELETE CASCADE,
    PRIMARY KEY (trigram, doc_id)
) WITHOUT ROWID;
CREATE INDEX search_trigrams_doc ON search_trigrams (doc_id);

-- +goose StatementBegin
CREATE TRIGGER partners_search AFTER UPDATE OF deleted_at ON partners BEGIN
    UPDATE search_documents SET live = new.deleted_at IS NULL
     WHERE resource_type = 'partner' AND resource_id = new.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cooperations_search AFTER UPDATE OF deleted_at ON cooperations BEGIN
    UPDATE search_documents SET live = new.deleted_at IS NULL
     WHERE resource_type = 'cooperation' AND resource_id = new.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER solutions_search AFTER UPDATE OF deleted_at ON solutions BEGIN
    UPDATE search_documents SET live = new.deleted_at IS NULL
     WHERE resource_type = 'solution' AND resource_id = new.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER projects_search AFTER UPDATE OF deleted_at, status, category ON projects BEGIN
    UPDATE search_documents SET live = new.deleted_at IS NULL, status = new.status, category = new.category
     WHERE resource_type = 'project' AND resource_id = new.id;
END;
-- +goose StatementEnd
CREATE INDEX search_documents_name_fold ON search_documents (name_fold);
CREATE INDEX search_documents_slug_fold ON search_documents (slug_fold);
