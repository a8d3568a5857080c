-- +goose Up
-- The regional key filters (partners ars/ags, projects and cooperations
-- partner_ars; internal/store/regionkeys.go) read a prefix as a range (055 → >= '055'
-- AND < '056'), which these indexes serve (SQLite compares text byte-wise: BINARY).
CREATE INDEX partners_ars ON partners (ars);
CREATE INDEX partners_ags ON partners (ags);

-- +goose Down
DROP INDEX partners_ags;
DROP INDEX partners_ars;
