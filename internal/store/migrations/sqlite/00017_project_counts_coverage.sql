-- +goose Up
-- project_counts also counts, per status and category, the live projects that have
-- each amount (with_budget_planned, …) and those that have any (with_finance). See the
-- PostgreSQL migration. (x IS NOT NULL) is 0 or 1 here.
ALTER TABLE project_counts ADD COLUMN with_budget_planned integer NOT NULL DEFAULT 0;
ALTER TABLE project_counts ADD COLUMN with_cost_actual integer NOT NULL DEFAULT 0;
ALTER TABLE project_counts ADD COLUMN with_savings_estimated integer NOT NULL DEFAULT 0;
ALTER TABLE project_counts ADD COLUMN with_finance integer NOT NULL DEFAULT 0;
UPDATE project_counts SET with_budget_planned = t.budget, with_cost_actual = t.cost,
        with_savings_estimated = t.savings, with_finance = t.finance
    FROM (SELECT status, category, count(budget_planned_cents) AS budget, count(cost_actual_cents) AS cost,
                 count(savings_estimated_cents) AS savings,
                 count(*) FILTER (WHERE budget_planned_cents IS NOT NULL OR cost_actual_cents IS NOT NULL
                                        OR savings_estimated_cents IS NOT NULL) AS finance
            FROM projects WHERE deleted_at IS NULL GROUP BY status, category) t
   WHERE project_counts.status = t.status AND project_counts.category = t.category;

DROP TRIGGER projects_counts_insert;
DROP TRIGGER projects_counts_update;
DROP TRIGGER projects_counts_delete;
-- +goose StatementBegin
CREATE TRIGGER projects_counts_insert AFTER INSERT ON projects WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO project_counts (status, category, n, budget_planned_cents, cost_actual_cents, savings_estimated_cents,
            with_budget_planned, with_cost_actual, with_savings_estimated, with_finance)
        VALUES (new.status, new.category, 1, COALESCE(new.budget_planned_cents, 0),
                COALESCE(new.cost_actual_cents, 0), COALESCE(new.savings_estimated_cents, 0),
                new.budget_planned_cents IS NOT NULL, new.cost_actual_cents IS NOT NULL,
                new.savings_estimated_cents IS NOT NULL,
                (new.budget_planned_cents IS NOT NULL OR new.cost_actual_cents IS NOT NULL OR new.savings_estimated_cents IS NOT NULL))
        ON CONFLICT (status, category) DO UPDATE SET n = n + 1,
            budget_planned_cents = budget_planned_cents + excluded.budget_planned_cents,
            cost_actual_cents = cost_actual_cents + excluded.cost_actual_cents,
            savings_estimated_cents = savings_estimated_cents + excluded.savings_estimated_cents,
            with_budget_planned = with_budget_planned + excluded.with_budget_planned,
            with_cost_actual = with_cost_actual + excluded.with_cost_actual,
            with_savings_estimated = with_savings_estimated + excluded.with_savings_estimated,
            with_finance = with_finance + excluded.with_finance;
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
        savings_estimated_cents = savings_estimated_cents - COALESCE(old.savings_estimated_cents, 0),
        with_budget_planned = with_budget_planned - (old.budget_planned_cents IS NOT NULL),
        with_cost_actual = with_cost_actual - (old.cost_actual_cents IS NOT NULL),
        with_savings_estimated = with_savings_estimated - (old.savings_estimated_cents IS NOT NULL),
        with_finance = with_finance - (old.budget_planned_cents IS NOT NULL OR old.cost_actual_cents IS NOT NULL
            OR old.savings_estimated_cents IS NOT NULL)
     WHERE old.deleted_at IS NULL AND status = old.status AND category = old.category;
    INSERT INTO project_counts (status, category, n, budget_planned_cents, cost_actual_cents, savings_estimated_cents,
            with_budget_planned, with_cost_actual, with_savings_estimated, with_finance)
        SELECT new.status, new.category, 1, COALESCE(new.budget_planned_cents, 0),
               COALESCE(new.cost_actual_cents, 0), COALESCE(new.savings_estimated_cents, 0),
               new.budget_planned_cents IS NOT NULL, new.cost_actual_cents IS NOT NULL,
               new.savings_estimated_cents IS NOT NULL,
               (new.budget_planned_cents IS NOT NULL OR new.cost_actual_cents IS NOT NULL OR new.savings_estimated_cents IS NOT NULL)
         WHERE new.deleted_at IS NULL
        ON CONFLICT (status, category) DO UPDATE SET n = n + 1,
            budget_planned_cents = budget_planned_cents + excluded.budget_planned_cents,
            cost_actual_cents = cost_actual_cents + excluded.cost_actual_cents,
            savings_estimated_cents = savings_estimated_cents + excluded.savings_estimated_cents,
            with_budget_planned = with_budget_planned + excluded.with_budget_planned,
            with_cost_actual = with_cost_actual + excluded.with_cost_actual,
            with_savings_estimated = with_savings_estimated + excluded.with_savings_estimated,
            with_finance = with_finance + excluded.with_finance;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER projects_counts_delete AFTER DELETE ON projects WHEN old.deleted_at IS NULL BEGIN
    UPDATE project_counts SET n = n - 1,
        budget_planned_cents = budget_planned_cents - COALESCE(old.budget_planned_cents, 0),
        cost_actual_cents = cost_actual_cents - COALESCE(old.cost_actual_cents, 0),
        savings_estimated_cents = savings_estimated_cents - COALESCE(old.savings_estimated_cents, 0),
        with_budget_planned = with_budget_planned - (old.budget_planned_cents IS NOT NULL),
        with_cost_actual = with_cost_actual - (old.cost_actual_cents IS NOT NULL),
        with_savings_estimated = with_savings_estimated - (old.savings_estimated_cents IS NOT NULL),
        with_finance = with_finance - (old.budget_planned_cents IS NOT NULL OR old.cost_actual_cents IS NOT NULL
            OR old.savings_estimated_cents IS NOT NULL)
     WHERE status = old.status AND category = old.category;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER projects_counts_delete;
DROP TRIGGER projects_counts_update;
DROP TRIGGER projects_counts_insert;
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
ALTER TABLE project_counts DROP COLUMN with_finance;
ALTER TABLE project_counts DROP COLUMN with_savings_estimated;
ALTER TABLE project_counts DROP COLUMN with_cost_actual;
ALTER TABLE project_counts DROP COLUMN with_budget_planned;
