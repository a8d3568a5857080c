-- +goose Up
-- project_counts also keeps the money sums of the live projects per status and
-- category (NULL counts as 0), so that statistics by status or category filtered by
-- nothing but status and category are a sum over at most 72 rows. See the PostgreSQL
-- migration. A sum beyond 64 bits turns into a REAL here (SQLite's + does not fail),
-- and store.ProjectStats then counts with GROUP BY instead. The columns have no type
-- so that such a REAL stays one: an integer column would store it as an integer again
-- once it is back in range, silently inexact.
ALTER TABLE project_counts ADD COLUMN budget_planned_cents NOT NULL DEFAULT 0;
ALTER TABLE project_counts ADD COLUMN cost_actual_cents NOT NULL DEFAULT 0;
ALTER TABLE project_counts ADD COLUMN savings_estimated_cents NOT NULL DEFAULT 0;
-- Recounted from scratch (the migration holds the write lock): n as 00003 kept it.
DELETE FROM project_counts;
INSERT INTO project_counts (status, category, n, budget_planned_cents, cost_actual_cents, savings_estimated_cents)
    SELECT status, category, count(*), COALESCE(SUM(budget_planned_cents), 0),
           COALESCE(SUM(cost_actual_cents), 0), COALESCE(SUM(savings_estimated_cents), 0)
      FROM projects WHERE deleted_at IS NULL GROUP BY status, category;

-- All that every other statistic reads of a project: they scan this instead of the
-- table. See the PostgreSQL migration. Status first, unlike there: SQLite walks an
-- index in the GROUP BY's order rather than sort, so GROUP BY status took
-- projects_status_id and read every row from the table; started_from/started_to
-- still find their range (a skip-scan over the few statuses). deleted_at is a column
-- although the index holds live projects only: SQLite uses an index as covering only
-- if it has every column the query names.
CREATE INDEX projects_stats ON projects (status, started_on_key, category, budget_planned_cents,
    cost_actual_cents, savings_estimated_cents, id, deleted_at) WHERE deleted_at IS NULL;

DROP TRIGGER projects_counts_insert;
DROP TRIGGER projects_counts_update;
DROP TRIGGER projects_counts_delete;
-- +goose StatementBegin
CREATE TRIGGER projects_counts_insert AFTER INSERT ON projects WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO project_counts (status, category, n, budget_planned_cents, cost_actual_cents, savings_estimated_cents)
        VALUES (new.status, new.category, 1, COALESCE(new.budget_planned_cents, 0),
                COALESCE(new.cost_actual_cents, 0), COALESCE(new.savings_estimated_cents, 0))
        ON CONFLICT (status, category) DO UPDATE SET n = n + 1,
            budget_planned_cents = budget_planned_cents + excluded.budget_planned_cents,
            cost_actual_cents = cost_actual_cents + excluded.cost_actual_cents,
            savings_estimated_cents = savings_estimated_cents + excluded.savings_estimated_cents;
END;
-- +goose StatementEnd
-- Only when a counted value changes: an update writes every column.
-- +goose StatementBegin
CREATE TRIGGER projects_counts_update AFTER UPDATE OF status, category, deleted_at,
        budget_planned_cents, cost_actual_cents, savings_estimated_cents ON projects
    WHEN old.status IS NOT new.status OR old.category IS NOT new.category
        OR (old.deleted_at IS NULL) IS NOT (new.deleted_at IS NULL)
        OR old.budget_planned_cents IS NOT new.budget_planned_cents
        OR old.cost_actual_cents IS NOT new.cost_actual_cents
        OR old.savings_estimated_cents IS NOT new.savings_estimated_cents
BEGIN
    UPDATE project_counts SET n = n - 1,
        budget_planned_cents = budget_planned_cents - COALESCE(old.budget_planned_cents, 0),
        cost_actual_cents = cost_actual_cents - COALESCE(old.cost_actual_cents, 0),
        savings_estimated_cents = savings_estimated_cents - COALESCE(old.savings_estimated_cents, 0)
     WHERE old.deleted_at IS NULL AND status = old.status AND category = old.category;
    INSERT INTO project_counts (status, category, n, budget_planned_cents, cost_actual_cents, savings_estimated_cents)
        SELECT new.status, new.category, 1, COALESCE(new.budget_planned_cents, 0),
               COALESCE(new.cost_actual_cents, 0), COALESCE(new.savings_estimated_cents, 0)
         WHERE new.deleted_at IS NULL
        ON CONFLICT (status, category) DO UPDATE SET n = n + 1,
            budget_planned_cents = budget_planned_cents + excluded.budget_planned_cents,
            cost_actual_cents = cost_actual_cents + excluded.cost_actual_cents,
            savings_estimated_cents = savings_estimated_cents + excluded.savings_estimated_cents;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER projects_counts_delete AFTER DELETE ON projects WHEN old.deleted_at IS NULL BEGIN
    UPDATE project_counts SET n = n - 1,
        budget_planned_cents = budget_planned_cents - COALESCE(old.budget_planned_cents, 0),
        cost_actual_cents = cost_actual_cents - COALESCE(old.cost_actual_cents, 0),
        savings_estimated_cents = savings_estimated_cents - COALESCE(old.savings_estimated_cents, 0)
     WHERE status = old.status AND category = old.category;
END;
-- +goose StatementEnd

-- +goose Down
DROP INDEX projects_stats;
DROP TRIGGER projects_counts_delete;
DROP TRIGGER projects_counts_update;
DROP TRIGGER projects_counts_insert;
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
ALTER TABLE project_counts DROP COLUMN savings_estimated_cents;
ALTER TABLE project_counts DROP COLUMN cost_actual_cents;
ALTER TABLE project_counts DROP COLUMN budget_planned_cents;
