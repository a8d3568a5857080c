-- The ids of the live resources of one type matching a query, for a list's q filter
-- (internal/search Filter; the list keeps its own order, count and cursor). GORM
-- placeholders: ? is the tsquery, then the type.
--
-- A CTE in the subquery keeps PostgreSQL from merging it into the list's query, so the
-- list is always driven from the matches: merged, the planner may walk the whole
-- collection in its sort order and test every row for a rare word.
WITH m AS MATERIALIZED (
    SELECT b.resource_id FROM search_bodies b
    WHERE b.tsv @@ CAST(? AS tsquery)
      AND b.facet IN (SELECT f.id FROM search_facets f WHERE f.live AND f.resource_type = ?)
)
SELECT resource_id FROM m
