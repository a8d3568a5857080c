-- +goose Up
-- project_counts also counts, per status and category, the live projects that have
-- each amount (with_budget_planned, …) and those that have any (with_finance): a sum
-- over projects none of which has the amount is unknown, not 0 (the statistics answer
-- null and say how many projects their sums cover), and the counters must say so too.
--
-- Writes wait until the migration commits, as in 00004; reads go on.
LOCK TABLE projects IN SHARE ROW EXCLUSIVE MODE;

ALTER TABLE project_counts
    ADD COLUMN with_budget_planned    bigint NOT NULL DEFAULT 0,
    ADD COLUMN with_cost_actual       bigint NOT NULL DEFAULT 0,
    ADD COLUMN with_savings_estimated bigint NOT NULL DEFAULT 0,
    ADD COLUMN with_finance           bigint NOT NULL DEFAULT 0;
UPDATE project_counts pc SET with_budget_planned = t.budget, with_cost_actual = t.cost,
        with_savings_estimated = t.savings, with_finance = t.finance
    FROM (SELECT status, category, count(budget_planned_cents) AS budget, count(cost_actual_cents) AS cost,
                 count(savings_estimated_cents) AS savings,
                 count(*) FILTER (WHERE budget_planned_cents IS NOT NULL OR cost_actual_cents IS NOT NULL
                                        OR savings_estimated_cents IS NOT NULL) AS finance
            FROM projects WHERE deleted_at IS NULL GROUP BY status, category) t
   WHERE pc.status = t.status AND pc.category = t.category;

-- The triggers of 00004 stay: they fire on every change of a money column already
-- (NULL to a value included: IS DISTINCT FROM).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION project_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- 1 where the old or new row has the amount (or any amount), else 0
    ob int := CASE WHEN TG_OP <> 'INSERT' AND OLD.budget_planned_cents IS NOT NULL THEN 1 ELSE 0 END;
    oc int := CASE WHEN TG_OP <> 'INSERT' AND OLD.cost_actual_cents IS NOT NULL THEN 1 ELSE 0 END;
    os int := CASE WHEN TG_OP <> 'INSERT' AND OLD.savings_estimated_cents IS NOT NULL THEN 1 ELSE 0 END;
    nb int := CASE WHEN TG_OP <> 'DELETE' AND NEW.budget_planned_cents IS NOT NULL THEN 1 ELSE 0 END;
    nc int := CASE WHEN TG_OP <> 'DELETE' AND NEW.cost_actual_cents IS NOT NULL THEN 1 ELSE 0 END;
    ns int := CASE WHEN TG_OP <> 'DELETE' AND NEW.savings_estimated_cents IS NOT NULL THEN 1 ELSE 0 END;
    ofi int := GREATEST(ob, oc, os);
    nfi int := GREATEST(nb, nc, ns);
BEGIN
    -- Live before and after in the same group (a money change): one row moves.
    IF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NULL
       AND OLD.status = NEW.status AND OLD.category = NEW.category THEN
        UPDATE project_counts SET
            budget_planned_cents = budget_planned_cents - COALESCE(OLD.budget_planned_cents, 0) + COALESCE(NEW.budget_planned_cents, 0),
            cost_actual_cents = cost_actual_cents - COALESCE(OLD.cost_actual_cents, 0) + COALESCE(NEW.cost_actual_cents, 0),
            savings_estimated_cents = savings_estimated_cents - COALESCE(OLD.savings_estimated_cents, 0) + COALESCE(NEW.savings_estimated_cents, 0),
            with_budget_planned = with_budget_planned - ob + nb,
            with_cost_actual = with_cost_actual - oc + nc,
            with_savings_estimated = with_savings_estimated - os + ns,
            with_finance = with_finance - ofi + nfi
         WHERE status = NEW.status AND category = NEW.category;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        UPDATE project_counts SET n = n - 1,
            budget_planned_cents = budget_planned_cents - COALESCE(OLD.budget_planned_cents, 0),
            cost_actual_cents = cost_actual_cents - COALESCE(OLD.cost_actual_cents, 0),
            savings_estimated_cents = savings_estimated_cents - COALESCE(OLD.savings_estimated_cents, 0),
            with_budget_planned = with_budget_planned - ob,
            with_cost_actual = with_cost_actual - oc,
            with_savings_estimated = with_savings_estimated - os,
            with_finance = with_finance - ofi
         WHERE status = OLD.status AND category = OLD.category;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        INSERT INTO project_counts AS pc (status, category, n, budget_planned_cents, cost_actual_cents, savings_estimated_cents,
                with_budget_planned, with_cost_actual, with_savings_estimated, with_finance)
            VALUES (NEW.status, NEW.category, 1, COALESCE(NEW.budget_planned_cents, 0),
                    COALESCE(NEW.cost_actual_cents, 0), COALESCE(NEW.savings_estimated_cents, 0), nb, nc, ns, nfi)
            ON CONFLICT (status, category) DO UPDATE SET n = pc.n + 1,
                budget_planned_cents = pc.budget_planned_cents + EXCLUDED.budget_planned_cents,
                cost_actual_cents = pc.cost_actual_cents + EXCLUDED.cost_actual_cents,
                savings_estimated_cents = pc.savings_estimated_cents + EXCLUDED.savings_estimated_cents,
                with_budget_planned = pc.with_budget_planned + EXCLUDED.with_budget_planned,
                with_cost_actual = pc.with_cost_actual + EXCLUDED.with_cost_actual,
                with_savings_estimated = pc.with_savings_estimated + EXCLUDED.with_savings_estimated,
                with_finance = pc.with_finance + EXCLUDED.with_finance;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION project_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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
ALTER TABLE project_counts DROP COLUMN with_budget_planned, DROP COLUMN with_cost_actual,
    DROP COLUMN with_savings_estimated, DROP COLUMN with_finance;
