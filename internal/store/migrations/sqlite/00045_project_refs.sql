-- +goose Up
-- The brief refs a project is shown with, kept beside its row (projects.refs): see the
-- PostgreSQL migration of the same number for the form. project_refs_view computes
-- them (once: SQLite has no stored functions); the triggers keep the column.
ALTER TABLE projects ADD COLUMN refs text NOT NULL DEFAULT '';

CREATE VIEW project_refs_view AS
SELECT p.id AS id,
       coalesce((SELECT c.slug || char(31) || c.title FROM cooperations c WHERE c.id = p.cooperation_id), char(31))
    || char(31)
    || coalesce((SELECT s.slug || char(31) || s.name FROM solutions s WHERE s.id = p.solution_id), char(31))
    || coalesce((SELECT group_concat(char(30) || pp.partner_id || char(31) || pa.slug || char(31) || pa.name
                                     || char(31) || pp.role || char(31) || pp.since || char(31) || pp.until,
                                     '' ORDER BY pp.position)
                   FROM project_participants pp JOIN partners pa ON pa.id = pp.partner_id
                  WHERE pp.project_id = p.id), '') AS refs
  FROM projects p;

-- +goose StatementBegin
CREATE TRIGGER projects_refs_insert AFTER INSERT ON projects
BEGIN
    UPDATE projects SET refs = (SELECT refs FROM project_refs_view v WHERE v.id = NEW.id) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER projects_refs_update AFTER UPDATE OF cooperation_id, solution_id ON projects
WHEN OLD.cooperation_id IS NOT NEW.cooperation_id OR OLD.solution_id IS NOT NEW.solution_id
BEGIN
    UPDATE projects SET refs = (SELECT refs FROM project_refs_view v WHERE v.id = NEW.id) WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER participants_refs_insert AFTER INSERT ON project_participants
BEGIN
    UPDATE projects SET refs = (SELECT refs FROM project_refs_view v WHERE v.id = NEW.project_id) WHERE id = NEW.project_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER participants_refs_delete AFTER DELETE ON project_participants
BEGIN
    UPDATE projects SET refs = (SELECT refs FROM project_refs_view v WHERE v.id = OLD.project_id) WHERE id = OLD.project_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER participants_refs_update AFTER UPDATE ON project_participants
BEGIN
    UPDATE projects SET refs = (SELECT refs FROM project_refs_view v WHERE v.id = projects.id)
     WHERE id IN (OLD.project_id, NEW.project_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER partners_refs AFTER UPDATE OF slug, name ON partners
WHEN OLD.slug IS NOT NEW.slug OR OLD.name IS NOT NEW.name
BEGIN
    UPDATE projects SET refs = (SELECT refs FROM project_refs_view v WHERE v.id = projects.id)
     WHERE id IN (SELECT project_id FROM project_participants WHERE partner_id = NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cooperations_refs AFTER UPDATE OF slug, title ON cooperations
WHEN OLD.slug IS NOT NEW.slug OR OLD.title IS NOT NEW.title
BEGIN
    UPDATE projects SET refs = (SELECT refs FROM project_refs_view v WHERE v.id = projects.id)
     WHERE cooperation_id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER solutions_refs AFTER UPDATE OF slug, name ON solutions
WHEN OLD.slug IS NOT NEW.slug OR OLD.name IS NOT NEW.name
BEGIN
    UPDATE projects SET refs = (SELECT refs FROM project_refs_view v WHERE v.id = projects.id)
     WHERE solution_id = NEW.id;
END;
-- +goose StatementEnd

UPDATE projects SET refs = (SELECT refs FROM project_refs_view v WHERE v.id = projects.id);

-- +goose Down
DROP TRIGGER solutions_refs;
DROP TRIGGER cooperations_refs;
DROP TRIGGER partners_refs;
DROP TRIGGER participants_refs_update;
DROP TRIGGER participants_refs_delete;
DROP TRIGGER participants_refs_insert;
DROP TRIGGER projects_refs_update;
DROP TRIGGER projects_refs_insert;
DROP VIEW project_refs_view;
ALTER TABLE projects DROP COLUMN refs;
