package store

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// snippetLen is the length of a search hit's snippet in characters.
const snippetLen = 160

// searchRow is a row of the ranking statement: a hit of the page, or a count of hits
// of one type, status and category.
type searchRow struct {
	Kind, ResourceType, ResourceID, NameFold string
	Score                                    float64
	Status, Category                         *string
	N                                        int64
}

// Search finds live resources across kinds, ranked; see coop.SearchService. One
// statement ranks and counts (searchStatement), a second one reads the page's
// resources.
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
	stmt, args := db.searchStatement(cs, types, limit)
	var rows []searchRow
	if err := conn.Raw(stmt, args...).Scan(&rows).Error; err != nil {
		return out, translate(err)
	}
	var page []searchRow
	for _, r := range rows {
		if r.Kind == "hit" {
			page = append(page, r)
			continue
		}
		out.Total += r.N
		out.Facets.Type[r.ResourceType] += r.N
		if r.Status != nil {
			out.Facets.Status[*r.Status] += r.N
		}
		if r.Category != nil {
			out.Facets.Category[*r.Category] += r.N
		}
	}
	// The order of the statement's top, again: a UNION keeps no order. Byte order of
	// name_fold is its COLLATE "C" order; uuids sort like their text.
	slices.SortFunc(page, func(a, b searchRow) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.NameFold, b.NameFold),
			strings.Compare(a.ResourceType, b.ResourceType), strings.Compare(a.ResourceID, b.ResourceID))
	})
	details, err := db.searchDetails(ctx, page)
	if err != nil {
		return out, err
	}
	for _, r := range page {
		d, ok := details[r.ResourceID]
		if !ok {
			continue // deleted meanwhile
		}
		out.Items = append(out.Items, coop.SearchHit{Type: r.ResourceType, ID: r.ResourceID, Slug: d.Slug,
			Title: d.Title, Snippet: snippet(d.Title, d.Description, cs.terms), Score: math.Round(r.Score*1e4) / 1e4})
	}
	return out, nil
}

type searchDetail struct{ ID, Slug, Title, Description string }

// searchDetails reads slug, title and description of the page's resources by id.
func (db *DB) searchDetails(ctx context.Context, page []searchRow) (map[string]searchDetail, error) {
	ids := map[string][]string{}
	for _, r := range page {
		ids[r.ResourceType] = append(ids[r.ResourceType], r.ResourceID)
	}
	var parts []string
	var args []any
	for _, t := range coop.SearchTypes {
		if len(ids[t]) == 0 {
			continue
		}
		st := searchTables[t]
		parts = append(parts, "SELECT id, slug, "+st.name+" AS title, description FROM "+st.table+" WHERE id IN ?")
		args = append(args, ids[t])
	}
	out := make(map[string]searchDetail, len(page))
	if len(parts) == 0 {
		return out, nil
	}
	var rows []searchDetail
	if err := db.gorm.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.ID] = r
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
	for _, t := range q.Types {
		if !slices.Contains(coop.SearchTypes, t) {
			return nil, 0, coop.Errorf(coop.EInvalid, "types: unbekannter Typ %q; erlaubt: %s", t,
				strings.Join(coop.SearchTypes, ", "))
		}
	}
	var types []string
	for _, t := range coop.SearchTypes {
		if len(q.Types) == 0 || slices.Contains(q.Types, t) {
			types = append(types, t)
		}
	}
	return types, limit, nil
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
