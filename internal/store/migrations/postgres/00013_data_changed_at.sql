-- +goose Up
-- When the directory last changed, for downloads (Last-Modified) and the open-data
-- catalogue (dct:modified): the wall-clock time of the newest write, kept beside the
-- data version by the same trigger. Not the time of a change-log entry: bulk imports
-- record their changes at past dates, and pruning may delete the newest entries; this
-- time only ever moves forward.
ALTER TABLE data_version ADD COLUMN changed_at timestamptz;
UPDATE data_version SET changed_at = (SELECT max(at) FROM changes);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET id = GREATEST(id, (SELECT max(id) FROM new_changes)),
        changed_at = GREATEST(changed_at, clock_timestamp());
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- The ends of live projects for the catalogue's period (store/opendata.go), read from
-- this index alone instead of every project row.
CREATE INDEX projects_ends ON projects (ended_on, planned_end_on) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX projects_ends;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET id = GREATEST(id, (SELECT max(id) FROM new_changes));
    RETURN NULL;
END $$;
-- +goose StatementEnd
ALTER TABLE data_version DROP COLUMN changed_at;
