package store

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// searchStatement is the one statement that ranks, counts and reads a search. It
// answers rows of searchRow: kind 'hit' for the best limit matches with their
// resource's slug, title and description (unordered; Search sorts them again), kind
// 'count' for the number of matches per type, status and category, and kind 'version'
// for the data version (searchcache.go). One statement is one snapshot: hits, counts,
// details and version belong together, on a read replica too.
//
// The bands of the outline in search.go are read best first, each only when the
// better ones leave the page unfilled. Their scores cannot overlap, so the page is
// the same as from ranking all matches; a frequent word thus costs its name hits, not
// all its matches. As WITH queries:
//   - exact: the live documents of the types whose folded name or slug equals the
//     folded query (btree lookups) and whose names match the terms: band 4.
//   - title: the live documents of the types whose name matches every term: band 3.
//   - alt: only if title has fewer than limit rows, the live documents of any type
//     whose alternative names complete a match of the names (band 2 for the types;
//     the other types tell whether any name matches).
//   - typos: only if title and alt are empty (no name matches the words as typed),
//     the live documents of the types whose name the query is a typo of and which do
//     not match the terms: band 0.
//   - top: the best limit of exact, title and alt (not counting exact twice), the
//     other matches (band 1), read only when the names of the types do not fill the
//     page, and the typos.
//
// The counts read every match once, lean (no score, no join): one pass over the
// narrow rows of a frequent word's matches. The score arithmetic is the same on both
// databases, in double precision.
//
// The types and the limit are written into the text as constants, not passed as
// parameters: PostgreSQL plans a prepared statement generically after five runs, and
// its generic plan for "resource_type IN ($1)" ANDs the primary key's bitmap of every
// document of the type to the matches and sorts them to group them: 2.5 times the
// work of the plan for the constant. Their combinations are few (the types are checked
// against coop.SearchTypes, the limit is 1..100), so are the statement texts.
func (db *DB) searchStatement(cs compiledSearch, types []string, limit int) (string, []any) {
	s := db.searchSQL()
	inTypes, lim := sqlStrings(types), strconv.Itoa(limit)
	typed := func(d string) string { return s.noIndex + d + ".resource_type IN " + inTypes }
	qlen := float64(len(cs.fold))
	closeName := func(a string) string { return s.closeness("length(" + a + ".name_fold)") }
	same := func(cte, d string) string {
		return "EXISTS (SELECT 1 FROM " + cte + " e WHERE e.resource_type = " + d + ".resource_type AND e.resource_id = " + d + ".resource_id)"
	}
	var b sqlBuilder
	b.add(`WITH exact AS MATERIALIZED (
 SELECT x.resource_type, x.resource_id, x.name_fold FROM search_documents x
 WHERE x.live = TRUE AND `+typed("x")+` AND (x.name_fold = ? OR x.slug_fold = ?) AND `, cs.fold, cs.fold)
	b.frag(s.matchRow(cs, "x", inNames))
	b.add(`
), title AS MATERIALIZED (
 SELECT x.resource_type, x.resource_id, x.name_fold FROM search_documents x
 WHERE x.live = TRUE AND ` + typed("x") + ` AND `)
	b.frag(s.match(cs, "x", inTitle, gate{}))
	b.add(`
), alt AS MATERIALIZED (
 SELECT x.resource_type, x.resource_id, x.name_fold FROM search_documents x
 WHERE x.live = TRUE AND `)
	b.frag(s.match(cs, "x", inNames, gate{sql: "(SELECT count(*) FROM title) < " + lim}))
	b.add(`
 AND NOT `+same("title", "x")+`
), typos AS MATERIALIZED (
 SELECT d.resource_type, d.resource_id, d.name_fold, d.status, d.category,
 `+s.similarity("d")+` * `+closeName("d")+` / 5.0 AS score
 FROM search_documents d
 WHERE d.live = TRUE AND `+typed("d")+` AND `, cs.fold, qlen)
	b.frag(s.fuzzy(cs, "d", gate{sql: "NOT EXISTS (SELECT 1 FROM title) AND NOT EXISTS (SELECT 1 FROM alt)"}))
	b.add(` AND NOT (`)
	b.frag(s.match(cs, "d", inAll, gate{}))
	b.add(`)
), top AS MATERIALIZED (
 SELECT resource_type, resource_id, name_fold, score FROM (
  SELECT resource_type, resource_id, name_fold, 1.0 AS score FROM exact
  UNION ALL
  SELECT t.resource_type, t.resource_id, t.name_fold, (3 + `+closeName("t")+`) / 5.0 FROM title t
  WHERE NOT `+same("exact", "t")+`
  UNION ALL
  SELECT t.resource_type, t.resource_id, t.name_fold, (2 + `+closeName("t")+`) / 5.0 FROM alt t
  WHERE `+typed("t")+` AND NOT `+same("exact", "t")+`
  UNION ALL
  SELECT d.resource_type, d.resource_id, d.name_fold,
  (CASE WHEN d.name_fold = ? OR d.slug_fold = ? THEN 5.0
   ELSE 1 + `+s.closeness("d.body_len")+` END) / 5.0
  FROM search_documents d
  WHERE d.live = TRUE AND `+typed("d")+` AND `, qlen, qlen, cs.fold, cs.fold, qlen)
	// Other matches only when the names of the types do not fill the page.
	b.frag(s.match(cs, "d", inAll, gate{sql: "(SELECT count(*) FROM title) + (SELECT count(*) FROM alt a WHERE " +
		typed("a") + ") < " + lim}))
	b.add(`
  AND NOT ` + same("title", "d") + ` AND NOT ` + same("alt", "d") + `
  UNION ALL
  SELECT resource_type, resource_id, name_fold, score FROM typos
 ) h ORDER BY score DESC, name_fold, resource_type, resource_id LIMIT ` + lim + `
)`)
	// The page's details, from each type's table by primary key.
	for _, t := range types {
		st := searchTables[t]
		b.add(`
SELECT 'hit' AS kind, t.resource_type, t.resource_id, t.name_fold, t.score,
 CAST(NULL AS text) AS status, CAST(NULL AS text) AS category, 0 AS n,
 r.slug, r.` + st.name + ` AS title, r.description
 FROM top t JOIN ` + st.table + ` r ON r.id = t.resource_id WHERE t.resource_type = ` + sqlString(t) + `
UNION ALL`)
	}
	b.add(`
SELECT 'count', d.resource_type, NULL, NULL, NULL, d.status, d.category, count(*), NULL, NULL, NULL
 FROM search_documents d WHERE d.live = TRUE AND ` + typed("d") + ` AND `)
	b.frag(s.match(cs, "d", inAll, gate{}))
	b.add(`
 GROUP BY d.resource_type, d.status, d.category
UNION ALL
SELECT 'count', resource_type, NULL, NULL, NULL, status, category, count(*), NULL, NULL, NULL FROM typos
 GROUP BY resource_type, status, category
UNION ALL
SELECT 'version', NULL, NULL, NULL, NULL, NULL, NULL, id, NULL, NULL, NULL FROM data_version`)
	return b.String(), b.args
}

// sqlBuilder collects SQL text and its arguments in order.
type sqlBuilder struct {
	strings.Builder
	args []any
}

func (b *sqlBuilder) add(sql string, args ...any) { b.frag(sql, args) }

// frag adds a fragment with its arguments (the results of a searchSQL function).
func (b *sqlBuilder) frag(sql string, args []any) {
	b.WriteString(sql)
	b.args = append(b.args, args...)
}

// sqlString renders a resource type as an SQL string constant. Only the constants of
// coop.SearchTypes are accepted (searchParams checks user input before).
func sqlString(typ string) string {
	if !slices.Contains(coop.SearchTypes, typ) {
		panic("store: not a search type: " + typ)
	}
	return "'" + typ + "'"
}

// sqlStrings renders resource types as an SQL list of string constants.
func sqlStrings(types []string) string {
	quoted := make([]string, len(types))
	for i, t := range types {
		quoted[i] = sqlString(t)
	}
	return "(" + strings.Join(quoted, ", ") + ")"
}
