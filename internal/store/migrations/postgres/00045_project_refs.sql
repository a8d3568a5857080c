-- +goose Up
-- The brief refs a project is shown with — its cooperation's slug and title, its
-- solution's slug and name, and its participants with their partners' slugs and names,
-- in position order — kept beside the project's row (projects.refs), so that a project
-- is read from its row alone: a list page is one index range and a project one row,
-- instead of one index lookup per participant and per partner (the one reader,
-- store/projects_read.go, parses it: projectRefs). The triggers below keep it whatever
-- writes: the API, imports, the bulk loader, SQL by hand.
--
-- The form: cooperation slug, title, solution slug, name, separated by U+001F, then per
-- participant U+001E and partner id, slug, name, role, since, until separated by
-- U+001F. No stored text holds these control characters: every write refuses C0
-- controls in text (coop.TextProblem).
ALTER TABLE projects ADD COLUMN refs text NOT NULL DEFAULT '';

-- +goose StatementBegin
CREATE FUNCTION project_refs(p_id uuid, p_cooperation uuid, p_solution uuid) RETURNS text
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

-- refs_refresh computes the refs of the projects ids anew.
-- +goose StatementBegin
CREATE FUNCTION refs_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
UPDATE projects pr SET refs = project_refs(pr.id, pr.cooperation_id, pr.solution_id) WHERE pr.id = ANY(ids)
$$;
-- +goose StatementEnd

-- A project's own row: when written with another cooperation or solution.
-- +goose StatementBegin
CREATE FUNCTION projects_refs_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.refs := project_refs(NEW.id, NEW.cooperation_id, NEW.solution_id);
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER projects_refs_insert BEFORE INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_refs_row();
CREATE TRIGGER projects_refs_update BEFORE UPDATE OF cooperation_id, solution_id ON projects
    FOR EACH ROW WHEN (OLD.cooperation_id IS DISTINCT FROM NEW.cooperation_id
                       OR OLD.solution_id IS DISTINCT FROM NEW.solution_id)
    EXECUTE FUNCTION projects_refs_row();

-- Participants: once per statement (a write replaces a project's participants with one
-- DELETE and one INSERT), for the projects the statement touched.
-- +goose StatementBegin
CREATE FUNCTION participants_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM refs_refresh(ARRAY(SELECT project_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM refs_refresh(ARRAY(SELECT project_id FROM old_rows));
    ELSE
        PERFORM refs_refresh(ARRAY(SELECT project_id FROM old_rows UNION SELECT project_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER participants_refs_insert AFTER INSERT ON project_participants
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION participants_refs();
CREATE TRIGGER participants_refs_delete AFTER DELETE ON project_participants
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION participants_refs();
CREATE TRIGGER participants_refs_update AFTER UPDATE ON project_participants
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION participants_refs();

-- A partner, cooperation or solution renamed (slug or name): the projects that show it,
-- deleted ones too (a restored project is shown as it is stored).
-- +goose StatementBegin
CREATE FUNCTION renamed_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'partners' THEN
        PERFORM refs_refresh(ARRAY(SELECT project_id FROM project_participants WHERE partner_id = NEW.id));
    ELSIF TG_TABLE_NAME = 'cooperations' THEN
        PERFORM refs_refresh(ARRAY(SELECT id FROM projects WHERE cooperation_id = NEW.id));
    ELSE
        PERFORM refs_refresh(ARRAY(SELECT id FROM projects WHERE solution_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER partners_refs AFTER UPDATE OF slug, name ON partners
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION renamed_refs();
CREATE TRIGGER cooperations_refs AFTER UPDATE OF slug, title ON cooperations
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION renamed_refs();
CREATE TRIGGER solutions_refs AFTER UPDATE OF slug, name ON solutions
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION renamed_refs();

UPDATE projects SET refs = project_refs(id, cooperation_id, solution_id);

-- +goose Down
DROP TRIGGER solutions_refs ON solutions;
DROP TRIGGER cooperations_refs ON cooperations;
DROP TRIGGER partners_refs ON partners;
DROP FUNCTION renamed_refs();
DROP TRIGGER participants_refs_update ON project_participants;
DROP TRIGGER participants_refs_delete ON project_participants;
DROP TRIGGER participants_refs_insert ON project_participants;
DROP FUNCTION participants_refs();
DROP TRIGGER projects_refs_update ON projects;
DROP TRIGGER projects_refs_insert ON projects;
DROP FUNCTION projects_refs_row();
DROP FUNCTION refs_refresh(uuid[]);
DROP FUNCTION project_refs(uuid, uuid, uuid);
ALTER TABLE projects DROP COLUMN refs;
