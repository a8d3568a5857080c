-- +goose Up
-- A token holds a set of roles (api.md "Roles as sets"): roles is a JSON list, like
-- partners. Every existing token keeps the one role it had. role stays, written as
-- the highest of the roles, so that a binary from before this migration still reads
-- the tokens during a rolling update (and after a rollback: goose down).
ALTER TABLE api_tokens ADD COLUMN roles text NOT NULL DEFAULT '[]';
UPDATE api_tokens SET roles = '["' || role || '"]';

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN roles;
