package store

// searchStatement is the one statement that ranks and counts a search. It answers rows
// of searchRow: kind 'hit' for the best limit matches (unordered; Search sorts them
// again), kind 'count' for the number of matches per type, status and category.
//
// Its parts, as WITH queries:
//   - names: the live documents of any type whose name or alternative names match
//     every term, and whether the name alone does (in_title). Small: names are short.
//   - typos: only if names is empty (no name matches the words as typed), the live
//     documents of the types whose name the query is a typo of and which do not match
//     the terms.
//   - top: the best limit of three bands, whose scores cannot overlap (see the outline
//     in search.go): the name matches (score ≥ 2/5) from names; the other matches
//     (≤ 2/5), read only when fewer than limit name matches of the types exist; the
//     typos (≤ 1/5).
//
// The counts read every match once, lean (no score, no join). So a frequent word costs
// one pass over its matches' narrow rows, not a ranking of all of them. The score
// arithmetic is the same on both databases, in double precision.
func (db *DB) searchStatement(cs compiledSearch, types []string, limit int) (string, []any) {
	s := db.searchSQL()
	title, titleArgs := s.title(cs, "x")
	names, namesArgs := s.names(cs, "x")
	fts, ftsArgs := s.fts(cs, "d", gate{})
	fuzzy, fuzzyArgs := s.fuzzy(cs, "d", gate{sql: "NOT EXISTS (SELECT 1 FROM names)"})
	// Other matches only when the names of the types do not fill the page.
	others, othersArgs := s.fts(cs, "d", gate{sql: "(SELECT count(*) FROM names WHERE resource_type IN ?) < ?",
		args: []any{types, limit}})
	qlen := float64(len(cs.fold))
	typed := s.noIndex + "d.resource_type IN ?"

	var args []any
	add := func(a ...any) { args = append(args, a...) }
	add(titleArgs...)
	add(namesArgs...)
	add(cs.fold, qlen, types) // typos
	add(fuzzyArgs...)
	add(ftsArgs...)
	add(cs.fold, cs.fold, qlen, qlen, types) // top: names
	add(cs.fold, cs.fold, qlen, types)       // top: other matches
	add(othersArgs...)
	add(limit)
	add(types) // counts
	add(ftsArgs...)

	closeName := func(a string) string { return s.closeness("length(" + a + ".name_fold)") }
	return `WITH names AS MATERIALIZED (
 SELECT x.resource_type, x.resource_id, x.name_fold, x.slug_fold, ` + title + ` AS in_title
 FROM search_documents x WHERE x.live = TRUE AND ` + names + `
), typos AS MATERIALIZED (
 SELECT d.resource_type, d.resource_id, d.name_fold, d.status, d.category,
 ` + s.similarity("d") + ` * ` + closeName("d") + ` / 5.0 AS score
 FROM search_documents d
 WHERE d.live = TRUE AND ` + typed + ` AND ` + fuzzy + ` AND NOT (` + fts + `)
), top AS (
 SELECT resource_type, resource_id, name_fold, score FROM (
  SELECT n.resource_type, n.resource_id, n.name_fold,
  (CASE WHEN n.name_fold = ? OR n.slug_fold = ? THEN 5.0
   WHEN n.in_title THEN 3 + ` + closeName("n") + `
   ELSE 2 + ` + closeName("n") + ` END) / 5.0 AS score
  FROM names n WHERE n.resource_type IN ?
  UNION ALL
  SELECT d.resource_type, d.resource_id, d.name_fold,
  (CASE WHEN d.name_fold = ? OR d.slug_fold = ? THEN 5.0
   ELSE 1 + ` + s.closeness("d.body_len") + ` END) / 5.0 AS score
  FROM search_documents d
  WHERE d.live = TRUE AND ` + typed + ` AND ` + others + `
  AND NOT EXISTS (SELECT 1 FROM names n WHERE n.resource_type = d.resource_type AND n.resource_id = d.resource_id)
  UNION ALL
  SELECT resource_type, resource_id, name_fold, score FROM typos
 ) h ORDER BY score DESC, name_fold, resource_type, resource_id LIMIT ?
)
SELECT 'hit' AS kind, resource_type, resource_id, name_fold, score,
 CAST(NULL AS text) AS status, CAST(NULL AS text) AS category, 0 AS n FROM top
UNION ALL
SELECT 'count', d.resource_type, NULL, NULL, NULL, d.status, d.category, count(*)
 FROM search_documents d WHERE d.live = TRUE AND ` + typed + ` AND ` + fts + `
 GROUP BY d.resource_type, d.status, d.category
UNION ALL
SELECT 'count', resource_type, NULL, NULL, NULL, status, category, count(*) FROM typos
 GROUP BY resource_type, status, category`, args
}
