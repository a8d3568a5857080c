-- +goose Up
-- The number of live projects per status and category, kept by triggers in the
-- transaction of every write, so that a list's "total" for the filters portals use on
-- every page view (status, category, or none) is a sum over at most 72 rows instead of
-- a count over all matching projects. See the PostgreSQL migration.
CREATE TABLE project_counts (
    status   text NOT NULL,
    category text NOT NULL,
    n        integer NOT NULL,
    PRIMARY KEY (status, category)
) WITHOUT ROWID;
INSERT INTO project_counts (status, category, n)
    SELECT status, category, count(*) FROM projects WHERE deleted_at IS NULL GROUP BY status, category;

-- +goose StatementBegin
CREATE TRIGGER projects_counts_insert AFTER INSERT ON projects WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO project_counts (status, category, n) VALUES (new.status, new.category, 1)
        ON CONFLICT (status, category) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER projects_counts_update AFTER UPDATE OF status, category, deleted_at ON projects BEGIN
    UPDATE project_counts SET n = n - 1
     WHERE old.deleted_at IS NULL AND status = old.status AND category = old.category;
    INSERT INTO project_counts (status, category, n) SELECT new.status, new.category, 1 WHERE new.deleted_at IS NULL
        ON CONFLICT (status, category) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER projects_counts_delete AFTER DELETE ON projects WHEN old.deleted_at IS NULL BEGIN
    UPDATE project_counts SET n = n - 1 WHERE status = old.status AND category = old.category;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER projects_counts_delete;
DROP TRIGGER projects_counts_update;
DROP TRIGGER projects_counts_insert;
DROP TABLE project_counts;
