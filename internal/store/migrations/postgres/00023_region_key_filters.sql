-- +goose Up
-- The regional key filters (partners ars/ags, projects and cooperations
-- partner_ars; internal/store/regionkeys.go) read a prefix as a range (055 → >= '055'
-- AND < '056'). The keys compare byte-wise, as on SQLite, so that the range is exactly
-- the prefix whatever the database's collation and these B-tree indexes serve it.
-- Changing only the collation does not rewrite the table.
ALTER TABLE partners ALTER COLUMN ars TYPE text COLLATE "C", ALTER COLUMN ags TYPE text COLLATE "C";
CREATE INDEX partners_ars ON partners (ars);
CREATE INDEX partners_ags ON partners (ags);

-- +goose Down
DROP INDEX partners_ags;
DROP INDEX partners_ars;
ALTER TABLE partners ALTER COLUMN ars TYPE text COLLATE "default", ALTER COLUMN ags TYPE text COLLATE "default";
