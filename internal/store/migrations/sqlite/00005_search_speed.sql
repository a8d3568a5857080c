-- +goose Up
-- Exact matches of the folded name or slug, without reading all name matches
-- (store/search_rank.go).
CREATE INDEX search_documents_name_fold ON search_documents (name_fold);
CREATE INDEX search_documents_slug_fold ON search_documents (slug_fold);

-- The directory's data version, the SQLite side of
-- migrations/postgres/00005_data_version.sql: the id of the newest change-log entry,
-- kept in one row by a trigger in the transaction of every write.
CREATE TABLE data_version (
    one integer PRIMARY KEY CHECK (one = 1),
    id  integer NOT NULL
);
INSERT INTO data_version (one, id) SELECT 1, COALESCE(max(id), 0) FROM changes;

-- +goose StatementBegin
CREATE TRIGGER changes_data_version AFTER INSERT ON changes BEGIN
    UPDATE data_version SET id = max(id, new.id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER changes_data_version;
DROP TABLE data_version;
DROP INDEX search_documents_slug_fold;
DROP INDEX search_documents_name_fold;
