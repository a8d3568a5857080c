-- +goose Up
-- A project create writes its brief refs once (BENCHMARKS.md, "A create's PostgreSQL
-- CPU"). The create resolves its cooperation, solution and partners with their slugs
-- and names anyway, so it inserts the row with its refs (store/projects_write.go:
-- refsText); before, the BEFORE INSERT trigger computed them without participants and
-- the participants' trigger at once computed them again and wrote a second version of
-- the row.
--
-- A row inserted with refs that name participants keeps them: the participants have
-- yet to be inserted (a new row has none), and their statement's trigger then checks the
-- refs against a fresh computation. Any other row — refs empty (the bulk loader, SQL
-- by hand) or naming no participants — gets them computed as before.
DROP TRIGGER projects_refs_insert ON projects;
CREATE TRIGGER projects_refs_insert BEFORE INSERT ON projects
    FOR EACH ROW WHEN (strpos(NEW.refs, chr(30)) = 0) EXECUTE FUNCTION projects_refs_row();

-- refs_refresh writes only the rows whose refs differ from the fresh computation: the
-- participants of a create then cost that computation, not a second row version. For
-- one project (the ids of a statement's participants repeat it) two statements on one
-- id, whose plans PL/pgSQL keeps; a join over ids = ANY(…) was planned anew on every
-- call (its generic plan's estimate is ten rows).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refs_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    IF cardinality(ids) > 0 AND ids[1] = ALL(ids) THEN
        SELECT project_refs(p.id, p.cooperation_id, p.solution_id) INTO r FROM projects p WHERE p.id = ids[1];
        UPDATE projects SET refs = r WHERE id = ids[1] AND refs IS DISTINCT FROM r;
        RETURN;
    END IF;
    UPDATE projects pr SET refs = f.refs
      FROM (SELECT p.id, project_refs(p.id, p.cooperation_id, p.solution_id) AS refs
              FROM projects p WHERE p.id = ANY(ids)) f
     WHERE pr.id = f.id AND pr.refs IS DISTINCT FROM f.refs;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refs_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE projects pr SET refs = project_refs(pr.id, pr.cooperation_id, pr.solution_id) WHERE pr.id = ANY(ids);
END $$;
-- +goose StatementEnd
DROP TRIGGER projects_refs_insert ON projects;
CREATE TRIGGER projects_refs_insert BEFORE INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_refs_row();
