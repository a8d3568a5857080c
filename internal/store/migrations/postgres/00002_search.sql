-- +goose Up
-- Full-text search (issue 5). All linguistic work (folding, stemming, compound parts)
-- happens in Go (package textsearch); the database stores plain [a-z0-9] tokens and
-- matches term prefixes, so that PostgreSQL and SQLite find the same. One document per
-- resource, written in the same transaction as the resource. Soft-deleted resources
-- keep theirs; queries join the live resource. Documents of rows that exist before
-- this migration (or were built by an older textsearch, doc_version) are written by
-- the store right after the migrations (store.reindexSearch), since SQL cannot fold.
--
-- pg_trgm is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_documents (
    resource_type text NOT NULL,
    resource_id   uuid NOT NULL,
    doc_version   integer NOT NULL,
    name_fold     text COLLATE "C" NOT NULL,  -- textsearch.Fold(name or title): exact and typo matches, ties
    body_len      integer NOT NULL,           -- length of textsearch.Fold(body): ranks description hits
    slug_fold     text NOT NULL,              -- textsearch.Fold(slug): exact matches
    title_doc     text NOT NULL,              -- textsearch.Document(name or title)
    alt_doc       text NOT NULL,              -- textsearch.Document(short name, slug, tags)
    body_doc      text NOT NULL,              -- textsearch.Document(description, …)
    -- every token, for matching (GIN)
    tsv tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', title_doc || ' ' || alt_doc || ' ' || body_doc)) STORED,
    -- the name's tokens weighted A and the alternative names' D, to rank title hits
    name_tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_doc), 'A') || to_tsvector('simple', alt_doc)) STORED,
    PRIMARY KEY (resource_type, resource_id)
);
CREATE INDEX search_documents_tsv ON search_documents USING gin (tsv);
CREATE INDEX search_documents_name_trgm ON search_documents USING gin (name_fold gin_trgm_ops);

-- +goose Down
DROP TABLE search_documents;
