-- +goose Up
-- The bulk import: change-log entries name their import, and import jobs survive a
-- restart. See the PostgreSQL migration.
ALTER TABLE changes ADD COLUMN import_id text NOT NULL DEFAULT '';

CREATE TABLE import_jobs (
    id           text PRIMARY KEY,
    status       text NOT NULL,
    resource     text NOT NULL,
    format       text NOT NULL,
    mode         text NOT NULL,
    dry_run      boolean NOT NULL DEFAULT false,
    actor        text NOT NULL,
    file         blob,
    rows_total   integer NOT NULL DEFAULT 0,
    rows_done    integer NOT NULL DEFAULT 0,
    report       text NOT NULL DEFAULT '{}',
    attempts     integer NOT NULL DEFAULT 0,
    lease_until  datetime,
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL,
    finished_at  datetime
);
CREATE INDEX import_jobs_open ON import_jobs (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX import_jobs_finished ON import_jobs (finished_at);

-- +goose Down
DROP TABLE import_jobs;
ALTER TABLE changes DROP COLUMN import_id;
