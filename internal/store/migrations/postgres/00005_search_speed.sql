-- +goose Up
-- Search ranks name hits first and reads the other matches of a frequent word only when
-- the names do not fill the page (store/search_rank.go). Exact matches of the folded
-- name or slug score highest and must be found without reading all name matches.
CREATE INDEX search_documents_name_fold ON search_documents (name_fold);
CREATE INDEX search_documents_slug_fold ON search_documents (slug_fold);

-- The directory's data version: the id of the newest change-log entry, kept in one row
-- by a trigger in the transaction of every write (every write of the store records a
-- change). The search cache (store/searchcache.go) keys its answers by it and reads it
-- once per request, so that every instance answers from fresh data right after any
-- write, its own or another's. Not max(id) of changes: pruning the change log may
-- delete the newest entries (bulk imports carry past dates), and the version must
-- never return to a value it had before other data.
CREATE TABLE data_version (
    one boolean PRIMARY KEY DEFAULT TRUE CHECK (one),
    id  bigint NOT NULL
);
INSERT INTO data_version (id) SELECT COALESCE(max(id), 0) FROM changes;

-- +goose StatementBegin
CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET id = GREATEST(id, (SELECT max(id) FROM new_changes));
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- Once per statement: a bulk load's multi-row INSERT bumps the row once.
CREATE TRIGGER changes_data_version AFTER INSERT ON changes REFERENCING NEW TABLE AS new_changes
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();

-- +goose Down
DROP TRIGGER changes_data_version ON changes;
DROP FUNCTION data_version_bump();
DROP TABLE data_version;
DROP INDEX search_documents_slug_fold;
DROP INDEX search_documents_name_fold;
