-- +goose Up
-- A project create through the store no longer has its participants' refs checked
-- again (BENCHMARKS.md, "A create's refs from locked rows"). The create reads its
-- cooperation, solution and partners FOR SHARE (store/projects_write.go:
-- resolveProjectRefs): a rename of any of them waits until the create has committed, and
-- its trigger (renamed_refs) then sees the new project; a rename that came first is
-- what the create read. So the refs the create inserts with its row are exact, and the
-- fresh computation the participants' statement made to check them (refs_refresh, a
-- fifth of a create's trigger time) finds nothing to change. The price: any edit of a
-- partner, cooperation or solution waits for the creates in progress that name it — a
-- few milliseconds, or an import's whole batch, whose transaction is one — instead of
-- racing them (a rename that committed while a create was past its check left the
-- project with the old name).
--
-- The create says so for its one project: it sets ikz.refs_written to the project's id
-- (set_config, local to the transaction) before inserting the participants, and their
-- statement's trigger skips the check when every row it inserted is of that project,
-- and clears the setting: it serves one statement. Any other write of participants —
-- updates, imports, the bulk loader, SQL by hand — is refreshed as before.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION participants_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written text := current_setting('ikz.refs_written', true);
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF written <> '' THEN
            PERFORM set_config('ikz.refs_written', '', true);
            IF NOT EXISTS (SELECT 1 FROM new_rows WHERE project_id::text <> written) THEN
                RETURN NULL;
            END IF;
        END IF;
        PERFORM refs_refresh(ARRAY(SELECT project_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM refs_refresh(ARRAY(SELECT project_id FROM old_rows));
    ELSE
        PERFORM refs_refresh(ARRAY(SELECT project_id FROM old_rows UNION SELECT project_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION participants_refs() RETURNS trigger LANGUAGE plpgsql AS $$
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
