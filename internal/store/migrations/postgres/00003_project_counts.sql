-- +goose Up
-- The number of live projects per status and category, kept by a trigger in the
-- transaction of every write, so that a list's "total" for the filters portals use on
-- every page view (status, category, or none) is a sum over at most 72 rows instead of
-- a count over all matching projects (which grows with the directory). Lists with any
-- other filter still count (store.FindProjects).
CREATE TABLE project_counts (
    status   text COLLATE "C" NOT NULL,
    category text COLLATE "C" NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (status, category)
);
INSERT INTO project_counts (status, category, n)
    SELECT status, category, count(*) FROM projects WHERE deleted_at IS NULL GROUP BY status, category;

-- +goose StatementBegin
CREATE FUNCTION project_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- +goose Down
DROP TRIGGER projects_counts ON projects;
DROP FUNCTION project_counts_keep();
DROP TABLE project_counts;
