-- +goose Up
-- project_refs and refs_refresh (migration 00045) in PL/pgSQL instead of SQL: the same
-- statements with the same results, but PL/pgSQL keeps a statement's plan for the
-- session, where a SQL function that cannot be inlined (project_refs is called from a
-- trigger, refs_refresh by PERFORM) plans its body anew on every call. A project create
-- called project_refs twice (its row, then its participants) at ~0.65 ms each, almost all
-- of it planning, a third of the create's database time (BENCHMARKS.md, "Where a
-- create's PostgreSQL time goes, per statement").
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION project_refs(p_id uuid, p_cooperation uuid, p_solution uuid) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce((SELECT c.slug || chr(31) || c.title FROM cooperations c WHERE c.id = p_cooperation), chr(31))
        || chr(31)
        || coalesce((SELECT s.slug || chr(31) || s.name FROM solutions s WHERE s.id = p_solution), chr(31))
        || coalesce((SELECT string_agg(chr(30) || pp.partner_id::text || chr(31) || pa.slug || chr(31) || pa.name
                                       || chr(31) || pp.role || chr(31) || pp.since || chr(31) || pp.until,
                                       '' ORDER BY pp.position)
                       FROM project_participants pp JOIN partners pa ON pa.id = pp.partner_id
                      WHERE pp.project_id = p_id), '');
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refs_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE projects pr SET refs = project_refs(pr.id, pr.cooperation_id, pr.solution_id) WHERE pr.id = ANY(ids);
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION project_refs(p_id uuid, p_cooperation uuid, p_solution uuid) RETURNS text
LANGUAGE sql STABLE AS $$
SELECT coalesce((SELECT c.slug || chr(31) || c.title FROM cooperations c WHERE c.id = p_cooperation), chr(31))
    || chr(31)
    || coalesce((SELECT s.slug || chr(31) || s.name FROM solutions s WHERE s.id = p_solution), chr(31))
    || coalesce((SELECT string_agg(chr(30) || pp.partner_id::text || chr(31) || pa.slug || chr(31) || pa.name
                                   || chr(31) || pp.role || chr(31) || pp.since || chr(31) || pp.until,
                                   '' ORDER BY pp.position)
                   FROM project_participants pp JOIN partners pa ON pa.id = pp.partner_id
                  WHERE pp.project_id = p_id), '')
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refs_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
UPDATE projects pr SET refs = project_refs(pr.id, pr.cooperation_id, pr.solution_id) WHERE pr.id = ANY(ids)
$$;
-- +goose StatementEnd
