-- +goose Up
-- Writes no longer queue behind one lock (store.base.tx); what that lock kept is kept
-- here without it.
--
-- 1. The change feed's order. Writers committing in parallel commit their change-log
-- ids out of order, so the feed no longer pages by id but by pos, a position given to
-- a change only after it committed (changes_publish, called by the feed's reader,
-- store/changes.go): under a lock of the publishers alone, the committed changes
-- without a position get the next ones, in id order. Positions only grow, so a reader
-- past position p never misses a change later given a position; a change that waited
-- for another (a lock on the same row, a reference it read) drew its id after that one
-- committed, so both orders agree. The existing entries keep their ids as positions.
ALTER TABLE changes ADD COLUMN pos bigint;
UPDATE changes SET pos = id;
CREATE UNIQUE INDEX changes_pos ON changes (pos);
CREATE INDEX changes_unpublished ON changes (id) WHERE pos IS NULL;
-- The last position given (not max(pos): pruning may delete the newest entries, and a
-- position must never be given twice); it starts after every id drawn so far. Only publishers use it, under their lock.
CREATE SEQUENCE changes_pos_seq;
SELECT setval('changes_pos_seq', last_value, is_called) FROM changes_id_seq;

-- +goose StatementBegin
CREATE FUNCTION changes_publish() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    top bigint;
    newtop bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM changes WHERE pos IS NULL) THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(7245002);
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO top FROM changes_pos_seq;
    -- a statement of its own: its snapshot sees what publishers before us committed
    WITH p AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM changes WHERE pos IS NULL),
         u AS (UPDATE changes c SET pos = top + p.rn FROM p WHERE c.id = p.id RETURNING c.pos)
    SELECT max(pos) INTO newtop FROM u;
    IF newtop IS NOT NULL THEN
        PERFORM setval('changes_pos_seq', newtop);
    END IF;
END $$;
-- +goose StatementEnd

-- 2. The data version without a hot row: every statement that writes changes adds 1
-- to one of 16 rows (slot_of_xact), and the version is their sum,
-- so it grows with every write, whoever commits first, and never returns to an
-- earlier value (pruning does not touch it). It continues from the newest change id.
CREATE TABLE data_versions (
    slot       smallint PRIMARY KEY,
    n          bigint NOT NULL DEFAULT 0,
    changed_at timestamptz
);
INSERT INTO data_versions (slot, n, changed_at) SELECT 0, id, changed_at FROM data_version;
INSERT INTO data_versions (slot) SELECT s FROM generate_series(1, 15) s;
DROP TRIGGER changes_data_version ON changes;
DROP FUNCTION data_version_bump();
DROP TABLE data_version;

-- A write's row among 16 (data_versions, project_counts): by its transaction id, so
-- that writers running at the same time, whose ids are neighbours, rarely meet on one
-- (the connection's pid, the first choice, made writers whose pids fell on one row wait
-- for each other); and the next one that no other write holds, so that a long write
-- holds up none.
CREATE FUNCTION slot_of_xact() RETURNS smallint LANGUAGE sql AS $$
    SELECT (pg_current_xact_id()::text::bigint % 16)::smallint
$$;

-- +goose StatementBegin
CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s smallint := slot_of_xact();
BEGIN
    -- the first row from the transaction's own that no other write holds
    SELECT slot INTO s FROM data_versions ORDER BY (slot + 16 - s) % 16 LIMIT 1 FOR UPDATE SKIP LOCKED;
    UPDATE data_versions SET n = n + 1, changed_at = GREATEST(changed_at, clock_timestamp())
     WHERE slot = COALESCE(s, slot_of_xact());
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER changes_data_version AFTER INSERT ON changes
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();

-- 3. project_counts without hot rows: each (status, category) is kept in up to 16 rows
-- (slot), whose sums are the counters; a row alone may hold any value, also below 0.
-- Readers sum them (store/stats.go, store/projects_read.go).
-- A write picks its row as for the data version (slot_of_xact).
LOCK TABLE projects IN SHARE ROW EXCLUSIVE MODE;
ALTER TABLE project_counts ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE project_counts DROP CONSTRAINT project_counts_pkey;
ALTER TABLE project_counts ADD PRIMARY KEY (status, category, slot);

-- +goose StatementBegin
CREATE FUNCTION project_counts_add(st text, cat text, dn bigint, db numeric, dc numeric, ds numeric,
        wb bigint, wc bigint, ws bigint, wf bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s smallint := slot_of_xact();
BEGIN
    -- the group's first row from the transaction's own that no other write holds
    SELECT slot INTO s FROM project_counts WHERE status = st AND category = cat
     ORDER BY (slot + 16 - s) % 16 LIMIT 1 FOR UPDATE SKIP LOCKED;
    INSERT INTO project_counts AS pc (status, category, slot, n, budget_planned_cents, cost_actual_cents,
            savings_estimated_cents, with_budget_planned, with_cost_actual, with_savings_estimated, with_finance)
        VALUES (st, cat, COALESCE(s, slot_of_xact()), dn, db, dc, ds, wb, wc, ws, wf)
        ON CONFLICT (status, category, slot) DO UPDATE SET n = pc.n + EXCLUDED.n,
            budget_planned_cents = pc.budget_planned_cents + EXCLUDED.budget_planned_cents,
            cost_actual_cents = pc.cost_actual_cents + EXCLUDED.cost_actual_cents,
            savings_estimated_cents = pc.savings_estimated_cents + EXCLUDED.savings_estimated_cents,
            with_budget_planned = pc.with_budget_planned + EXCLUDED.with_budget_planned,
            with_cost_actual = pc.with_cost_actual + EXCLUDED.with_cost_actual,
            with_savings_estimated = pc.with_savings_estimated + EXCLUDED.with_savings_estimated,
            with_finance = pc.with_finance + EXCLUDED.with_finance;
END $$;
-- +goose StatementEnd

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
        PERFORM project_counts_add(NEW.status, NEW.category, 0,
            COALESCE(NEW.budget_planned_cents, 0) - COALESCE(OLD.budget_planned_cents, 0),
            COALESCE(NEW.cost_actual_cents, 0) - COALESCE(OLD.cost_actual_cents, 0),
            COALESCE(NEW.savings_estimated_cents, 0) - COALESCE(OLD.savings_estimated_cents, 0),
            nb - ob, nc - oc, ns - os, nfi - ofi);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        PERFORM project_counts_add(OLD.status, OLD.category, -1, -COALESCE(OLD.budget_planned_cents, 0),
            -COALESCE(OLD.cost_actual_cents, 0), -COALESCE(OLD.savings_estimated_cents, 0), -ob, -oc, -os, -ofi);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        PERFORM project_counts_add(NEW.status, NEW.category, 1, COALESCE(NEW.budget_planned_cents, 0),
            COALESCE(NEW.cost_actual_cents, 0), COALESCE(NEW.savings_estimated_cents, 0), nb, nc, ns, nfi);
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
LOCK TABLE projects IN SHARE ROW EXCLUSIVE MODE;
CREATE TEMPORARY TABLE project_counts_sum ON COMMIT DROP AS
    SELECT status, category, sum(n) AS n, sum(budget_planned_cents) AS b, sum(cost_actual_cents) AS c,
           sum(savings_estimated_cents) AS s, sum(with_budget_planned) AS wb, sum(with_cost_actual) AS wc,
           sum(with_savings_estimated) AS ws, sum(with_finance) AS wf
      FROM project_counts GROUP BY status, category;
DELETE FROM project_counts;
ALTER TABLE project_counts DROP CONSTRAINT project_counts_pkey;
ALTER TABLE project_counts DROP COLUMN slot;
ALTER TABLE project_counts ADD PRIMARY KEY (status, category);
INSERT INTO project_counts (status, category, n, budget_planned_cents, cost_actual_cents, savings_estimated_cents,
        with_budget_planned, with_cost_actual, with_savings_estimated, with_finance)
    SELECT status, category, n, b, c, s, wb, wc, ws, wf FROM project_counts_sum;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION project_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ob int := CASE WHEN TG_OP <> 'INSERT' AND OLD.budget_planned_cents IS NOT NULL THEN 1 ELSE 0 END;
    oc int := CASE WHEN TG_OP <> 'INSERT' AND OLD.cost_actual_cents IS NOT NULL THEN 1 ELSE 0 END;
    os int := CASE WHEN TG_OP <> 'INSERT' AND OLD.savings_estimated_cents IS NOT NULL THEN 1 ELSE 0 END;
    nb int := CASE WHEN TG_OP <> 'DELETE' AND NEW.budget_planned_cents IS NOT NULL THEN 1 ELSE 0 END;
    nc int := CASE WHEN TG_OP <> 'DELETE' AND NEW.cost_actual_cents IS NOT NULL THEN 1 ELSE 0 END;
    ns int := CASE WHEN TG_OP <> 'DELETE' AND NEW.savings_estimated_cents IS NOT NULL THEN 1 ELSE 0 END;
    ofi int := GREATEST(ob, oc, os);
    nfi int := GREATEST(nb, nc, ns);
BEGIN
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
DROP FUNCTION project_counts_add(text, text, bigint, numeric, numeric, numeric, bigint, bigint, bigint, bigint);

DROP TRIGGER changes_data_version ON changes;
DROP FUNCTION data_version_bump();
CREATE TABLE data_version (
    one boolean PRIMARY KEY DEFAULT TRUE CHECK (one),
    id  bigint NOT NULL,
    changed_at timestamptz
);
INSERT INTO data_version (id, changed_at)
    SELECT GREATEST(sum(n), (SELECT COALESCE(max(id), 0) FROM changes)), max(changed_at) FROM data_versions;
DROP TABLE data_versions;
-- +goose StatementBegin
CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET id = GREATEST(id, (SELECT max(id) FROM new_changes)),
        changed_at = GREATEST(changed_at, clock_timestamp());
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER changes_data_version AFTER INSERT ON changes REFERENCING NEW TABLE AS new_changes
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump();

DROP FUNCTION slot_of_xact();
SELECT changes_publish();
DROP FUNCTION changes_publish();
DROP SEQUENCE changes_pos_seq;
DROP INDEX changes_unpublished;
DROP INDEX changes_pos;
ALTER TABLE changes DROP COLUMN pos;
