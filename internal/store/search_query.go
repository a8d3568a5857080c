package store

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// snippetLen is the length of a search hit's snippet in characters.
const snippetLen = 160

// Search finds live resources across kinds, ranked; see coop.SearchService.
func (db *DB) Search(ctx context.Context, q coop.SearchQuery) (coop.SearchResult, error) {
	out := coop.SearchResult{Items: []coop.SearchHit{}, Facets: coop.SearchFacets{
		Type: map[string]int64{}, Status: map[string]int64{}, Category: map[string]int64{}}}
	types, limit, err := searchParams(q)
	if err != nil {
		return out, err
	}
	cs, err := compileSearch(q.Q)
	if err != nil || len(cs.terms) == 0 {
		return out, err
	}
	conn := db.gorm.WithContext(ctx)

	hits, hargs := db.searchHits(cs, types)
	rows := searchRows(types, true)
	var found []struct {
		Type, ID, Slug, Title, Description string
		Score                              float64
	}
	err = conn.Raw(hits+` SELECT type, id, slug, title, description, score FROM (`+rows+`) r
 ORDER BY r.score DESC, r.name_fold, r.type, r.id LIMIT ?`, append(hargs, limit)...).Scan(&found).Error
	if err != nil {
		return out, translate(err)
	}
	for _, f := range found {
		out.Items = append(out.Items, coop.SearchHit{
			Type: f.Type, ID: f.ID, Slug: f.Slug, Title: f.Title,
			Snippet: snippet(f.Title, f.Description, cs.terms),
			Score:   math.Round(f.Score*1e4) / 1e4,
		})
	}

	rows = searchRows(types, false)
	var counts []struct {
		Type     string
		Status   *string
		Category *string
		N        int64
	}
	err = conn.Raw(hits+` SELECT type, status, category, count(*) AS n FROM (`+rows+`) r
 GROUP BY type, status, category`, hargs...).Scan(&counts).Error
	if err != nil {
		return out, translate(err)
	}
	for _, c := range counts {
		out.Total += c.N
		out.Facets.Type[c.Type] += c.N
		if c.Status != nil {
			out.Facets.Status[*c.Status] += c.N
		}
		if c.Category != nil {
			out.Facets.Category[*c.Category] += c.N
		}
	}
	return out, nil
}

// searchParams checks the types (none = all) and the limit.
func searchParams(q coop.SearchQuery) ([]string, int, error) {
	limit := q.Limit
	if limit == 0 {
		limit = coop.SearchDefaultLimit
	}
	if limit < 1 || limit > coop.SearchMaxLimit {
		return nil, 0, coop.Errorf(coop.EInvalid, "limit muss zwischen 1 und %d liegen / limit must be 1..%d",
			coop.SearchMaxLimit, coop.SearchMaxLimit)
	}
	var types []string
	for _, t := range coop.SearchTypes {
		if len(q.Types) == 0 || slices.Contains(q.Types, t) {
			types = append(types, t)
		}
	}
	for _, t := range q.Types {
		if !slices.Contains(coop.SearchTypes, t) {
			return nil, 0, coop.Errorf(coop.EInvalid, "types: unbekannter Typ %q; erlaubt: %s", t,
				strings.Join(coop.SearchTypes, ", "))
		}
	}
	return types, limit, nil
}

// searchHits is the WITH clause "hits": (resource_type, resource_id, name_fold, score)
// of every matching document of the types, live or not. Typo matches that also match
// the terms are scored as term matches.
func (db *DB) searchHits(cs compiledSearch, types []string) (string, []any) {
	s := db.searchSQL()
	fts, ftsArgs := s.fts(cs, "d")
	fuzzy, fuzzyArgs := s.fuzzy(cs, "d")
	ftsScore, ftsScoreArgs := s.ftsScore(cs, "d")
	fuzzyScore, fuzzyScoreArgs := s.fuzzyScore(cs, "d")
	var args []any
	args = append(args, ftsScoreArgs...)
	args = append(args, types)
	args = append(args, ftsArgs...)
	args = append(args, fuzzyScoreArgs...)
	args = append(args, types)
	args = append(args, fuzzyArgs...)
	args = append(args, ftsArgs...)
	return `WITH hits AS MATERIALIZED (
 SELECT d.resource_type, d.resource_id, d.name_fold, ` + ftsScore + ` AS score
 FROM search_documents d WHERE d.resource_type IN ? AND ` + fts + `
 UNION ALL
 SELECT d.resource_type, d.resource_id, d.name_fold, ` + fuzzyScore + ` AS score
 FROM search_documents d WHERE d.resource_type IN ? AND ` + fuzzy + ` AND NOT (` + fts + `))`, args
}

// searchRows joins the hits to their live resources, one branch per type: with full,
// what a hit shows; else what the facets count.
func searchRows(types []string, full bool) string {
	branches := make([]string, len(types))
	for i, t := range types {
		st := searchTables[t]
		status, category := "CAST(NULL AS text)", "CAST(NULL AS text)"
		if t == coop.TypeProject {
			status, category = "x.status", "x.category"
		}
		// t is one of coop.SearchTypes (checked), never user text.
		cols := "'" + t + "' AS type, " + status + " AS status, " + category + " AS category"
		if full {
			cols = "'" + t + "' AS type, x.id AS id, x.slug AS slug, x." + st.name + " AS title, x.description AS description, h.name_fold AS name_fold, h.score AS score"
		}
		branches[i] = "SELECT " + cols + " FROM hits h JOIN " + st.table +
			" x ON x.id = h.resource_id AND x.deleted_at IS NULL WHERE h.resource_type = '" + t + "'"
	}
	return strings.Join(branches, " UNION ALL ")
}

// snippet highlights the description around its first match, or the title when only
// the title matches (or there is no description).
func snippet(title, description string, terms []string) string {
	if description != "" {
		s := textsearch.Highlight(description, terms, snippetLen)
		if strings.Contains(s, "<mark>") {
			return s
		}
		if t := textsearch.Highlight(title, terms, snippetLen); strings.Contains(t, "<mark>") {
			return t
		}
		return s
	}
	return textsearch.Highlight(title, terms, snippetLen)
}
