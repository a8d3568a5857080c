-- +goose Up
-- The bulk import (internal/httpapi/imports*.go): each change-log entry an import
-- wrote names it, and a large file runs as a job whose state survives a restart. A
-- job holds its file until it is done (bounded by the import's size limit); its rows
-- are applied in one transaction, so a job interrupted by a restart left nothing
-- behind and runs again from the start.
ALTER TABLE changes ADD COLUMN import_id text NOT NULL DEFAULT '';

CREATE TABLE import_jobs (
    id           uuid PRIMARY KEY,
    status       text NOT NULL,
    resource     text NOT NULL,
    format       text NOT NULL,
    mode         text NOT NULL,
    dry_run      boolean NOT NULL DEFAULT false,
    actor        text NOT NULL,
    file         bytea,
    rows_total   integer NOT NULL DEFAULT 0,
    rows_done    integer NOT NULL DEFAULT 0,
    report       text NOT NULL DEFAULT '{}',
    attempts     integer NOT NULL DEFAULT 0,
    lease_until  timestamptz,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    finished_at  timestamptz
);
-- the worker's queue: unfinished jobs, oldest first
CREATE INDEX import_jobs_open ON import_jobs (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX import_jobs_finished ON import_jobs (finished_at);

-- +goose Down
DROP TABLE import_jobs;
ALTER TABLE changes DROP COLUMN import_id;
