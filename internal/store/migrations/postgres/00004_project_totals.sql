-- +goose Up
-- project_counts also keeps the money sums of the live projects per status and
-- category (NULL counts as 0, as in the statistics' SUMs), so that statistics by status
-- or category filtered by nothing but status and category are a sum over at most 72
-- rows instead of a scan of every project (store.ProjectStats). The sums are numeric:
-- a sum beyond bigint must not make a write fail; reading casts to bigint, as the
-- statistics' GROUP BY does.
--
-- Writes wait until the migration commits (a write between the backfill and the new
-- trigger would be missing from the sums). Reads go on: the slow parts (the index,
-- the sums: ~2 s at 500,000 projects) run before the short exclusive locks of
-- ALTER TABLE project_counts and of the trigger swap.
LOCK TABLE projects IN SHARE ROW EXCLUSIVE MODE;

-- Every other statistic groups the filtered projects; this index holds all they read
-- of a project, so they scan it instead of the table (whose rows are wide: titles,
-- descriptions), and ranges of started_on_key (started_from, started_to) are ranges.
CREATE INDEX projects_stats ON projects (started_on_key)
    INCLUDE (id, status, category, budget_planned_cents, cost_actual_cents, savings_estimated_cents)
    WHERE deleted_at IS NULL;

CREATE TEMPORARY TABLE project_totals ON COMMIT DROP AS
    SELECT status, category, count(*) AS n, COALESCE(sum(budget_planned_cents), 0) AS budget,
           COALESCE(sum(cost_actual_cents), 0) AS cost, COALESCE(sum(savings_estimated_cents), 0) AS savings
      FROM projects WHERE deleted_at IS NULL GROUP BY status, category;
ALTER TABLE project_counts
    ADD COLUMN budget_planned_cents    numeric NOT NULL DEFAULT 0,
    ADD COLUMN cost_actual_cents       numeric NOT NULL DEFAULT 0,
    ADD COLUMN savings_estimated_cents numeric NOT NULL DEFAULT 0;
-- Recounted from scratch: n stays what the trigger of 00003 kept, by definition.
DELETE FROM project_counts;
INSERT INTO project_counts (status, category, n, budget_planned_cents, cost_actual_cents, savings_estimated_cents)
    SELECT status, category, n, budget, cost, savings FROM project_totals;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION project_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Live before and after in the same group (a money change): one row moves.
    IF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NULL
       AND OLD.status = NEW.status AND OLD.category = NEW.category THEN
        UPDATE project_counts SET
            budget_planned_cents = budget_planned_cents - COALESCE(OLD.budget_planned_cents, 0) + COALESCE(NEW.budget_planned_cents, 0),
            cost_actual_cents = cost_actual_cents - COALESCE(OLD.cost_actual_cents, 0) + COALESCE(NEW.cost_actual_cents, 0),
            savings_estimated_cents = savings_estimated_cents - COALESCE(OLD.savings_estimated_cents, 0) + COALESCE(NEW.savings_estimated_cents, 0)
         WHERE status = NEW.status AND category = NEW.category;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        UPDATE project_counts SET n = n - 1,
            budget_planned_cents = budget_planned_cents - COALESCE(OLD.budget_planned_cents, 0),
            cost_actual_cents = cost_actual_cents - COALESCE(OLD.cost_actual_cents, 0),
            savings_estimated_cents = savings_estimated_cents - COALESCE(OLD.savings_estimated_cents, 0)
         WHERE status = OLD.status AND category = OLD.category;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        INSERT INTO project_counts AS pc (status, category, n, budget_planned_cents, cost_actual_cents, savings_estimated_cents)
            VALUES (NEW.status, NEW.category, 1, COALESCE(NEW.budget_planned_cents, 0),
                    COALESCE(NEW.cost_actual_cents, 0), COALESCE(NEW.savings_estimated_cents, 0))
            ON CONFLICT (status, category) DO UPDATE SET n = pc.n + 1,
                budget_planned_cents = pc.budget_planned_cents + EXCLUDED.budget_planned_cents,
                cost_actual_cents = pc.cost_actual_cents + EXCLUDED.cost_actual_cents,
                savings_estimated_cents = pc.savings_estimated_cents + EXCLUDED.savings_estimated_cents;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- Updates only when a counted value changes: an update writes every column, and an
-- edit of the title should not lock its group's row until commit.
DROP TRIGGER projects_counts ON projects;
CREATE TRIGGER projects_counts AFTER INSERT OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION project_counts_keep();
CREATE TRIGGER projects_counts_update AFTER UPDATE OF status, category, deleted_at,
        budget_planned_cents, cost_actual_cents, savings_estimated_cents ON projects
    FOR EACH ROW WHEN (
        (OLD.status, OLD.category, OLD.deleted_at IS NULL,
         OLD.budget_planned_cents, OLD.cost_actual_cents, OLD.savings_estimated_cents)
        IS DISTINCT FROM
        (NEW.status, NEW.category, NEW.deleted_at IS NULL,
         NEW.budget_planned_cents, NEW.cost_actual_cents, NEW.savings_estimated_cents))
    EXECUTE FUNCTION project_counts_keep();

-- +goose Down
DROP INDEX projects_stats;
DROP TRIGGER projects_counts_update ON projects;
DROP TRIGGER projects_counts ON projects;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION project_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        UPDATE project_counts SET n = n - 1 WHERE status = OLD.status AND category = OLD.category;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        INSERT INTO project_counts AS pc (status, category, n) VALUES (NEW.status, NEW.category, 1)
            ON CONFLICT (status, category) DO UPDATE SET n = pc.n + 1;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER projects_counts AFTER INSERT OR DELETE OR UPDATE OF status, category, deleted_at ON projects
    FOR EACH ROW EXECUTE FUNCTION project_counts_keep();
ALTER TABLE project_counts DROP COLUMN budget_planned_cents, DROP COLUMN cost_actual_cents,
    DROP COLUMN savings_estimated_cents;
