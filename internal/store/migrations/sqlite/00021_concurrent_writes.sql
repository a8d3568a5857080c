-- +goose Up
-- The counterpart of the PostgreSQL migration. SQLite commits one write at a time, in
-- the order the change-log ids are drawn, so a change's feed position is its id.
ALTER TABLE changes ADD COLUMN pos integer GENERATED ALWAYS AS (id) VIRTUAL;
CREATE UNIQUE INDEX changes_pos ON changes (pos);

-- The data version: one row here (PostgreSQL spreads it over 16), the number of
-- writes, continuing from the newest change id.
CREATE TABLE data_versions (
    slot       integer PRIMARY KEY,
    n          integer NOT NULL DEFAULT 0,
    changed_at datetime
);
INSERT INTO data_versions (slot, n, changed_at) SELECT 0, id, changed_at FROM data_version;
DROP TRIGGER changes_data_version;
DROP TABLE data_version;
-- +goose StatementBegin
CREATE TRIGGER changes_data_version AFTER INSERT ON changes BEGIN
    UPDATE data_versions SET n = n + 1,
        changed_at = max(coalesce(changed_at, ''), strftime('%Y-%m-%d %H:%M:%f', 'now'))
     WHERE slot = 0;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER changes_data_version;
CREATE TABLE data_version (
    one integer PRIMARY KEY CHECK (one = 1),
    id  integer NOT NULL,
    changed_at datetime
);
INSERT INTO data_version (one, id, changed_at)
    SELECT 1, max(n, (SELECT coalesce(max(id), 0) FROM changes)), changed_at FROM data_versions WHERE slot = 0;
DROP TABLE data_versions;
-- +goose StatementBegin
CREATE TRIGGER changes_data_version AFTER INSERT ON changes BEGIN
    UPDATE data_version SET id = max(id, new.id),
        changed_at = max(coalesce(changed_at, ''), strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;
-- +goose StatementEnd
DROP INDEX changes_pos;
ALTER TABLE changes DROP COLUMN pos;
