-- +goose Up
-- When the directory last changed: the SQLite side of
-- migrations/postgres/00013_data_changed_at.sql (wall-clock time of the newest write,
-- kept by the data version's trigger, only ever moving forward). Text in one format
-- (UTC, "YYYY-MM-DD HH:MM:SS.SSS"), so that max() compares it as time.
ALTER TABLE data_version ADD COLUMN changed_at datetime;
UPDATE data_version SET changed_at = (SELECT strftime('%Y-%m-%d %H:%M:%f', max(at)) FROM changes);

DROP TRIGGER changes_data_version;
-- +goose StatementBegin
CREATE TRIGGER changes_data_version AFTER INSERT ON changes BEGIN
    UPDATE data_version SET id = max(id, new.id),
        changed_at = max(coalesce(changed_at, ''), strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;
-- +goose StatementEnd

-- The ends of live projects for the catalogue's period (store/opendata.go), read from
-- this index alone instead of every project row.
CREATE INDEX projects_ends ON projects (ended_on, planned_end_on) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX projects_ends;
DROP TRIGGER changes_data_version;
-- +goose StatementBegin
CREATE TRIGGER changes_data_version AFTER INSERT ON changes BEGIN
    UPDATE data_version SET id = max(id, new.id);
END;
-- +goose StatementEnd
ALTER TABLE data_version DROP COLUMN changed_at;
