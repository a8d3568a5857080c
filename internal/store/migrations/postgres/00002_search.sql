-- +goose Up
-- Full-text search (issue 5). All linguistic work (folding, stemming, compound parts)
-- happens in Go (package textsearch); the database stores plain [a-z0-9] tokens and
-- matches term prefixes, so that PostgreSQL and SQLite find the same. One narrow row per
-- resource, written in the same transaction as the resource (store.indexSearch).
-- live, status and category mirror the resource (triggers below), so that counting and
-- ranking never join the resource tables; soft-deleted resources keep their document.
-- Documents of rows that exist before this migration (or were built by an older
-- textsearch: doc_version) are written by the store right after the migrations
-- (store.reindexSearch), since SQL cannot fold.
--
-- pg_trgm is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_documents (
    resource_type text NOT NULL,
    resource_id   uuid NOT NULL,
    doc_version   integer NOT NULL,
    live          boolean NOT NULL,           -- the resource is not soft-deleted
    status        text,                       -- a project's status, for facets
    category      text,                       -- a project's category, for facets
    body_len      integer NOT NULL,           -- length of the folded body text: ranks body hits
    name_fold     text COLLATE "C" NOT NULL,  -- textsearch.Fold(name or title): exact and typo matches, ties
    slug_fold     text NOT NULL,              -- textsearch.Fold(slug): exact matches
    title_doc     text NOT NULL,              -- textsearch.Document(name or title)
    alt_doc       text NOT NULL,              -- textsearch.Document(short name, slug, tags)
    body_doc      text NOT NULL,              -- textsearch.Document(description, …)
    -- the tokens of the name: ranks title hits
    title_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title_doc)) STORED,
    -- the tokens of the name and alternative names: ranks, and tells whether to look for typos
    names_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title_doc || ' ' || alt_doc)) STORED,
    -- every token: matching
    tsv tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', title_doc || ' ' || alt_doc || ' ' || body_doc)) STORED,
    PRIMARY KEY (resource_type, resource_id)
) WITH (toast_tuple_target = 128);
-- Every match costs a visit of its heap row (the GIN indexes answer prefix terms
-- without a recheck, so no vector is read), and frequent words match tens of
-- thousands of rows: the heap must be narrow. Texts and vectors therefore live out of
-- line, uncompressed: a document's row exceeds PostgreSQL's 2 kB TOAST threshold, and
-- toast_tuple_target = 128 then moves all of them out, leaving ~150 bytes in the heap.
-- The columns queries read stay in line.
ALTER TABLE search_documents
    ALTER COLUMN title_doc SET STORAGE EXTERNAL, ALTER COLUMN alt_doc SET STORAGE EXTERNAL,
    ALTER COLUMN body_doc SET STORAGE EXTERNAL, ALTER COLUMN title_tsv SET STORAGE EXTERNAL,
    ALTER COLUMN names_tsv SET STORAGE EXTERNAL, ALTER COLUMN tsv SET STORAGE EXTERNAL,
    ALTER COLUMN resource_type SET STORAGE PLAIN, ALTER COLUMN status SET STORAGE PLAIN,
    ALTER COLUMN category SET STORAGE PLAIN, ALTER COLUMN name_fold SET STORAGE PLAIN,
    ALTER COLUMN slug_fold SET STORAGE PLAIN;
-- No statistics on the vectors: the planner then assumes every term is rare and always
-- takes the GIN indexes. With statistics it scans the whole table for frequent words,
-- reading every vector, which is many times slower (its cost model ignores that).
ALTER TABLE search_documents
    ALTER COLUMN tsv SET STATISTICS 0, ALTER COLUMN title_tsv SET STATISTICS 0,
    ALTER COLUMN names_tsv SET STATISTICS 0;
CREATE INDEX search_documents_tsv ON search_documents USING gin (tsv);
CREATE INDEX search_documents_title ON search_documents USING gin (title_tsv);
CREATE INDEX search_documents_names ON search_documents USING gin (names_tsv);
CREATE INDEX search_documents_name_trgm ON search_documents USING gin (name_fold gin_trgm_ops);

-- +goose StatementBegin
CREATE FUNCTION search_documents_live() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_documents SET live = NEW.deleted_at IS NULL
     WHERE resource_type = TG_ARGV[0] AND resource_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION search_documents_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_documents SET live = NEW.deleted_at IS NULL, status = NEW.status, category = NEW.category
     WHERE resource_type = 'project' AND resource_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER partners_search AFTER UPDATE OF deleted_at ON partners
    FOR EACH ROW EXECUTE FUNCTION search_documents_live('partner');
CREATE TRIGGER cooperations_search AFTER UPDATE OF deleted_at ON cooperations
    FOR EACH ROW EXECUTE FUNCTION search_documents_live('cooperation');
CREATE TRIGGER solutions_search AFTER UPDATE OF deleted_at ON solutions
    FOR EACH ROW EXECUTE FUNCTION search_documents_live('solution');
CREATE TRIGGER projects_search AFTER UPDATE OF deleted_at, status, category ON projects
    FOR EACH ROW EXECUTE FUNCTION search_documents_project();

-- +goose Down
DROP TRIGGER projects_search ON projects;
DROP TRIGGER solutions_search ON solutions;
DROP TRIGGER cooperations_search ON cooperations;
DROP TRIGGER partners_search ON partners;
DROP FUNCTION search_documents_project();
DROP FUNCTION search_documents_live();
DROP TABLE search_documents;
