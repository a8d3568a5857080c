-- One search on PostgreSQL (internal/search): the best hits of each band after the
-- cursor, the number of all matches by type, status and category, and the data
-- version, in one statement and so in one snapshot.
--
-- Bands, best first; their scores do not overlap, so the page is the best of all:
--   4 exact: the folded name or slug is the query           score 1
--   3 title: every term matches the name                    (3 + closeness of the name) / 5
--   2 names: ... the name with the alternative names        (2 + closeness of the name) / 5
--   1 body:  ... anything, and not the names                (1 + closeness of the body) / 5
-- closeness = min(1, query length / text length); a query with corrected typing errors
-- scores a fifth. Ties: by name, type and id; in the body band by document id (that
-- band is ranked from search_bodies alone, without reading names). Each band reads at most $4 rows, and only when the bands before it
-- leave the page unfilled: a frequent word costs its best name hits, not all matches.
-- The counts read every match once, a narrow row each (search_bodies).
--
-- $1 tsquery   the terms, e.g. '(kooper:* | kooperation:*) & munst:*'
-- $2 text      the folded query (exact matches)
-- $3 text[]    the resource types searched
-- $4 integer   rows per band: the page size plus one
-- $5 float8    the folded query's length
-- $6 float8    score scale: 1, or 0.2 after corrected typing errors
-- $7 integer   the cursor's band (5 on the first page): better bands are done
-- $8 float8, $9 text, $10 text, $11 uuid: the cursor's score, name, type and id (or NULL)
-- $12 integer  the cursor's document id (body band)
--
-- In psql:  PREPARE s AS <this file>;
--           EXPLAIN (ANALYZE, BUFFERS) EXECUTE s('rechenzentr:*', 'rechenzentrum', '{project}',
--               21, 13, 1, 5, NULL, NULL, NULL, NULL, NULL);
WITH exact AS MATERIALIZED (
    SELECT d.id, 4 AS band, $6::float8 AS score
    FROM search_documents d
    WHERE (d.name_fold = $2::text OR d.slug_fold = $2::text)
      AND d.live AND d.resource_type = ANY($3::text[]) AND d.names_tsv @@ $1::tsquery
      AND $7::integer >= 4
      AND ($8::float8 IS NULL OR $6 < $8 OR ($6 = $8 AND (d.name_fold, d.resource_type, d.resource_id) > ($9::text, $10::text, $11::uuid)))
    ORDER BY d.name_fold, d.resource_type, d.resource_id
    LIMIT $4::integer
), title AS MATERIALIZED (
    SELECT b.id, b.band, b.score FROM (
        SELECT d.id, 3 AS band, d.name_fold, d.resource_type, d.resource_id,
               (3 + LEAST(1.0, $5::float8 / GREATEST(length(d.name_fold), 1))) / 5 * $6 AS score
        FROM search_documents d
        WHERE d.title_tsv @@ $1 AND NOT (d.name_fold = $2 OR d.slug_fold = $2)
          AND d.live AND d.resource_type = ANY($3) AND $7 >= 3
          AND (SELECT count(*) FROM exact) < $4
    ) b
    WHERE $8 IS NULL OR b.score < $8 OR (b.score = $8 AND (b.name_fold, b.resource_type, b.resource_id) > ($9, $10, $11))
    ORDER BY b.score DESC, b.name_fold, b.resource_type, b.resource_id
    LIMIT $4
), names AS MATERIALIZED (
    SELECT b.id, b.band, b.score FROM (
        SELECT d.id, 2 AS band, d.name_fold, d.resource_type, d.resource_id,
               (2 + LEAST(1.0, $5 / GREATEST(length(d.name_fold), 1))) / 5 * $6 AS score
        FROM search_documents d
        WHERE d.names_tsv @@ $1 AND NOT d.title_tsv @@ $1 AND NOT (d.name_fold = $2 OR d.slug_fold = $2)
          AND d.live AND d.resource_type = ANY($3) AND $7 >= 2
          AND (SELECT count(*) FROM exact) + (SELECT count(*) FROM title) < $4
    ) b
    WHERE $8 IS NULL OR b.score < $8 OR (b.score = $8 AND (b.name_fold, b.resource_type, b.resource_id) > ($9, $10, $11))
    ORDER BY b.score DESC, b.name_fold, b.resource_type, b.resource_id
    LIMIT $4
), body AS MATERIALIZED (
    SELECT * FROM (
        SELECT m.doc_id AS id, 1 AS band, (1 + LEAST(1.0, $5 / GREATEST(m.body_len, 1))) / 5 * $6 AS score
        FROM search_bodies m
        WHERE m.tsv @@ $1
          AND m.facet IN (SELECT f.id FROM search_facets f WHERE f.live AND f.resource_type = ANY($3))
          AND m.doc_id NOT IN (SELECT x.id FROM search_documents x WHERE x.names_tsv @@ $1)
          AND (SELECT count(*) FROM exact) + (SELECT count(*) FROM title) + (SELECT count(*) FROM names) < $4
    ) b
    WHERE $8 IS NULL OR $7 > 1 OR b.score < $8 OR (b.score = $8 AND b.id > $12::integer)
    ORDER BY b.score DESC, b.id
    LIMIT $4
), counts AS (
    SELECT m.facet, count(*) AS n FROM search_bodies m WHERE m.tsv @@ $1 GROUP BY m.facet
)
SELECT 'hit' AS kind, h.band, h.score, d.name_fold, d.resource_type, d.resource_id::text, d.id,
       COALESCE(p.slug, c.slug, pr.slug, s.slug) AS slug,
       COALESCE(p.name, c.title, pr.title, s.name) AS title,
       COALESCE(p.description, c.description, pr.description, s.description) AS description,
       NULL AS status, NULL AS category, 0::bigint AS n
FROM (SELECT * FROM exact UNION ALL SELECT * FROM title UNION ALL SELECT * FROM names UNION ALL SELECT * FROM body) h
JOIN search_documents d ON d.id = h.id
LEFT JOIN partners p ON d.resource_type = 'partner' AND p.id = d.resource_id
LEFT JOIN cooperations c ON d.resource_type = 'cooperation' AND c.id = d.resource_id
LEFT JOIN projects pr ON d.resource_type = 'project' AND pr.id = d.resource_id
LEFT JOIN solutions s ON d.resource_type = 'solution' AND s.id = d.resource_id
UNION ALL
SELECT 'count', NULL, NULL, NULL, f.resource_type, NULL, NULL, NULL, NULL, NULL, f.status, f.category, c.n
FROM counts c JOIN search_facets f ON f.id = c.facet
WHERE f.live AND f.resource_type = ANY($3)
UNION ALL
SELECT 'version', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, (SELECT CAST(SUM(n) AS bigint) FROM data_versions)
