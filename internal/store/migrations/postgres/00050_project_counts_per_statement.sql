-- +goose Up
-- A multi-row INSERT of projects (the bulk loader, the import's chunks: store/bulk.go)
-- adds to the project counters once per statement and group instead of once per row.
-- Per row, an import of 10,000 projects in one transaction updated the same counter row
-- 10,000 times in it: none of its versions can be pruned before the commit, so every
-- update walked the row's growing chain of versions, and the import slowed down with the
-- square of its rows. Deletes and updates stay per row (migration 00004; a trigger with
-- a column list cannot have transition tables); what a write adds is the same.
DROP TRIGGER projects_counts ON projects;
CREATE TRIGGER projects_counts AFTER DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION project_counts_keep();

-- +goose StatementBegin
CREATE FUNCTION project_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    g record;
BEGIN
    FOR g IN
        SELECT status, category, count(*) AS n,
               sum(COALESCE(budget_planned_cents, 0)) AS b, sum(COALESCE(cost_actual_cents, 0)) AS c,
               sum(COALESCE(savings_estimated_cents, 0)) AS s,
               count(budget_planned_cents) AS wb, count(cost_actual_cents) AS wc,
               count(savings_estimated_cents) AS ws,
               count(*) FILTER (WHERE budget_planned_cents IS NOT NULL OR cost_actual_cents IS NOT NULL
                                   OR savings_estimated_cents IS NOT NULL) AS wf
          FROM new_projects WHERE deleted_at IS NULL
         GROUP BY status, category ORDER BY status, category
    LOOP
        PERFORM project_counts_add(g.status, g.category, g.n, g.b, g.c, g.s, g.wb, g.wc, g.ws, g.wf);
    END LOOP;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER projects_counts_insert AFTER INSERT ON projects REFERENCING NEW TABLE AS new_projects
    FOR EACH STATEMENT EXECUTE FUNCTION project_counts_insert();

-- +goose Down
DROP TRIGGER projects_counts_insert ON projects;
DROP FUNCTION project_counts_insert();
DROP TRIGGER projects_counts ON projects;
CREATE TRIGGER projects_counts AFTER INSERT OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION project_counts_keep();
