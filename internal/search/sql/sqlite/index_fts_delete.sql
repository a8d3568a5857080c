-- Removes the tokens of the documents with the ids of the JSON array ?1 (before
-- index_fts.sql writes them anew: a contentless FTS5 table cannot update a row).
DELETE FROM search_fts WHERE rowid IN (SELECT value FROM json_each(?1))
