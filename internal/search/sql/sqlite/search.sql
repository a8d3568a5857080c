-- One search on SQLite (internal/search): the same bands, scores and counts as
-- sql/postgres/search.sql, read from the FTS5 index search_fts (rowid =
-- search_documents.id). Each band's gate sits inside its FTS5 subquery, where SQLite
-- tests it once before it reads any doclist.
--
-- ?1 FTS5 query over all columns, e.g. '("kooper"* OR "kooperation"*) AND "munst"*'
-- ?2 the same over the names: '{title_doc alt_doc} : (…)'
-- ?3 the same over the name: '{title_doc} : (…)'
-- ?4 the folded query          ?5 the types, a JSON array
-- ?6 rows per band (the page size plus one)
-- ?7 the folded query's length ?8 score scale (1, or 0.2 after corrected typing errors)
-- ?9 the cursor's band (5 on the first page)
-- ?10..?13 the cursor's score, name, type and id (or NULL); ?14 its document id (body band)
--
-- In sqlite3:  .parameter set ?1 '"rechenzentr"*'  (and so on), then EXPLAIN QUERY PLAN <this file>
WITH exact AS MATERIALIZED (
    SELECT d.id, 4 AS band, ?8 * 1.0 AS score
    FROM search_documents d
    WHERE (d.name_fold = ?4 OR d.slug_fold = ?4)
      AND d.live AND +d.resource_type IN (SELECT value FROM json_each(?5)) AND ?9 >= 4
      AND EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH ?2 AND rowid = d.id)
      AND (?10 IS NULL OR ?8 < ?10 OR (?8 = ?10 AND (d.name_fold, d.resource_type, d.resource_id) > (?11, ?12, ?13)))
    ORDER BY d.name_fold, d.resource_type, d.resource_id
    LIMIT ?6
), title AS MATERIALIZED (
    SELECT b.id, b.band, b.score FROM (
        SELECT d.id, 3 AS band, d.name_fold, d.resource_type, d.resource_id,
               (3 + min(1.0, ?7 / max(length(d.name_fold), 1))) / 5 * ?8 AS score
        FROM search_documents d
        WHERE d.id IN (SELECT rowid FROM search_fts WHERE ?9 >= 3 AND (SELECT count(*) FROM exact) < ?6
                                                      AND search_fts MATCH ?3)
          AND NOT (d.name_fold = ?4 OR d.slug_fold = ?4)
          AND d.live AND +d.resource_type IN (SELECT value FROM json_each(?5))
    ) b
    WHERE ?10 IS NULL OR b.score < ?10 OR (b.score = ?10 AND (b.name_fold, b.resource_type, b.resource_id) > (?11, ?12, ?13))
    ORDER BY b.score DESC, b.name_fold, b.resource_type, b.resource_id
    LIMIT ?6
), names AS MATERIALIZED (
    SELECT b.id, b.band, b.score FROM (
        SELECT d.id, 2 AS band, d.name_fold, d.resource_type, d.resource_id,
               (2 + min(1.0, ?7 / max(length(d.name_fold), 1))) / 5 * ?8 AS score
        FROM search_documents d
        WHERE d.id IN (SELECT rowid FROM search_fts
                       WHERE ?9 >= 2 AND (SELECT count(*) FROM exact) + (SELECT count(*) FROM title) < ?6
                         AND search_fts MATCH ?2)
          AND d.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?3)
          AND NOT (d.name_fold = ?4 OR d.slug_fold = ?4)
          AND d.live AND +d.resource_type IN (SELECT value FROM json_each(?5))
    ) b
    WHERE ?10 IS NULL OR b.score < ?10 OR (b.score = ?10 AND (b.name_fold, b.resource_type, b.resource_id) > (?11, ?12, ?13))
    ORDER BY b.score DESC, b.name_fold, b.resource_type, b.resource_id
    LIMIT ?6
), body AS MATERIALIZED (
    SELECT * FROM (
        SELECT d.id, 1 AS band, (1 + min(1.0, ?7 / max(d.body_len, 1))) / 5 * ?8 AS score
        FROM search_documents d
        WHERE d.id IN (SELECT rowid FROM search_fts
                       WHERE (SELECT count(*) FROM exact) + (SELECT count(*) FROM title)
                             + (SELECT count(*) FROM names) < ?6
                         AND search_fts MATCH ?1)
          AND d.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?2)
          AND d.live AND +d.resource_type IN (SELECT value FROM json_each(?5))
    ) b
    WHERE ?10 IS NULL OR ?9 > 1 OR b.score < ?10 OR (b.score = ?10 AND b.id > ?14)
    ORDER BY b.score DESC, b.id
    LIMIT ?6
)
SELECT 'hit' AS kind, h.band, h.score, d.name_fold, d.resource_type, d.resource_id, d.id,
       COALESCE(p.slug, c.slug, pr.slug, s.slug) AS slug,
       COALESCE(p.name, c.title, pr.title, s.name) AS title,
       COALESCE(p.description, c.description, pr.description, s.description) AS description,
       NULL AS status, NULL AS category, 0 AS n
FROM (SELECT * FROM exact UNION ALL SELECT * FROM title UNION ALL SELECT * FROM names UNION ALL SELECT * FROM body) h
JOIN search_documents d ON d.id = h.id
LEFT JOIN partners p ON d.resource_type = 'partner' AND p.id = d.resource_id
LEFT JOIN cooperations c ON d.resource_type = 'cooperation' AND c.id = d.resource_id
LEFT JOIN projects pr ON d.resource_type = 'project' AND pr.id = d.resource_id
LEFT JOIN solutions s ON d.resource_type = 'solution' AND s.id = d.resource_id
UNION ALL
SELECT 'count', NULL, NULL, NULL, d.resource_type, NULL, NULL, NULL, NULL, NULL, d.status, d.category, count(*)
FROM search_documents d
WHERE d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?1)
  AND d.live AND +d.resource_type IN (SELECT value FROM json_each(?5))
GROUP BY d.resource_type, d.status, d.category
UNION ALL
SELECT 'version', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, (SELECT CAST(SUM(n) AS bigint) FROM data_versions)
