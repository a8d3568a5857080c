-- +goose Up
-- A resource's status entries by effective date: a transition reads the newest dated
-- entry of its resource (store/history.go: transition), a project as of a date the
-- latest entry before it (store/projects.go: projectTable) and the lead times walk them
-- in (effective_on_key, id) order (store/stats_leadtime.go). The index by id served
-- none of these: each read every entry of the resource and sorted them, so a
-- transition cost more the more often its resource had moved. This index replaces it
-- (the history, read in id order, sorts its resource's few entries), so a status change
-- still updates two indexes of status_changes.
CREATE INDEX status_changes_effective ON status_changes (resource_type, resource_id, effective_on_key, id);
DROP INDEX status_changes_resource;

-- +goose Down
CREATE INDEX status_changes_resource ON status_changes (resource_type, resource_id, id);
DROP INDEX status_changes_effective;
