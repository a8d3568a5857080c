-- +goose Up
-- Full-text search (issue 5), the SQLite side of migrations/postgres/00002_search.sql:
-- the same documents (computed in Go by package textsearch), matched by an FTS5 index
-- instead of a GIN one and typo-matched through a trigram table instead of pg_trgm.
-- id is the FTS5 rowid, hence an INTEGER PRIMARY KEY (stable across VACUUM).
CREATE TABLE search_documents (
    id            INTEGER PRIMARY KEY,
    resource_type text NOT NULL,
    resource_id   text NOT NULL,
    doc_version   integer NOT NULL,
    name_fold     text NOT NULL,  -- textsearch.Fold(name or title): exact and typo matches, ties
    body_len      integer NOT NULL,  -- length of textsearch.Fold(body): ranks description hits
    slug_fold     text NOT NULL,  -- textsearch.Fold(slug): exact matches
    title_doc     text NOT NULL,  -- textsearch.Document(name or title)
    alt_doc       text NOT NULL,  -- textsearch.Document(short name, slug, tags)
    body_doc      text NOT NULL,  -- textsearch.Document(description, …)
    UNIQUE (resource_type, resource_id)
);

-- External-content FTS5 index over the documents, kept in step by the triggers below.
-- Tokens are [a-z0-9]; prefix indexes make short prefix terms cheap.
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_doc, alt_doc, body_doc,
    content='search_documents', content_rowid='id',
    tokenize='ascii', prefix='2 3 4', detail='column'
);

-- +goose StatementBegin
CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
    INSERT INTO search_fts (rowid, title_doc, alt_doc, body_doc)
    VALUES (new.id, new.title_doc, new.alt_doc, new.body_doc);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
    INSERT INTO search_fts (search_fts, rowid, title_doc, alt_doc, body_doc)
    VALUES ('delete', old.id, old.title_doc, old.alt_doc, old.body_doc);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN
    INSERT INTO search_fts (search_fts, rowid, title_doc, alt_doc, body_doc)
    VALUES ('delete', old.id, old.title_doc, old.alt_doc, old.body_doc);
    INSERT INTO search_fts (rowid, title_doc, alt_doc, body_doc)
    VALUES (new.id, new.title_doc, new.alt_doc, new.body_doc);
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

-- +goose Down
DROP TABLE search_trigrams;
DROP TABLE search_fts;
DROP TABLE search_documents;
