-- The ids of the live resources of one type matching a query, for a list's q filter
-- (see sql/postgres/filter.sql). GORM placeholders: ? is the FTS5 query, then the type.
-- "+" keeps SQLite from walking all documents of the type by an index instead of
-- looking up the matches by rowid.
SELECT d.resource_id FROM search_documents d
WHERE d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?) AND +d.resource_type = ? AND d.live
