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

// searchRow is a row of the ranking statement: a hit of the page with its resource's
// details, a count of hits of one type, status and category, or the data version.
type searchRow struct {
	Kind, ResourceType, ResourceID, NameFold string
	Score                                    float64
	Status, Category                         *string
	N                                        int64
	Slug, Title, Description                 string
}

// Search finds live resources across kinds, ranked; see coop.SearchService. One
// statement ranks, counts and reads the page (searchStatement); answers are cached
// for the current data version (searchcache.go).
func (db *DB) Search(ctx context.Context, q coop.SearchQuery) (coop.SearchResult, error) {
	types, limit, err := searchParams(q)
	if err != nil {
		return emptySearchResult(), err
	}
	cs, err := compileSearch(q.Q)
	if err != nil || len(cs.terms) == 0 {
		return emptySearchResult(), err
	}
	c := db.searchCache
	if c == nil {
		res, _, err := db.search(ctx, cs, types, limit)
		return res, err
	}
	version, err := db.dataVersion(ctx)
	if err != nil {
		return emptySearchResult(), err
	}
	key := searchKey(cs, types, limit)
	if res, ok := c.get(key, version); ok {
		return res, nil
	}
	return c.do(ctx, key, version, func() (coop.SearchResult, int64, error) {
		return db.search(ctx, cs, types, limit)
	})
}

func emptySearchResult() coop.SearchResult {
	return coop.SearchResult{Items: []coop.SearchHit{}, Facets: coop.SearchFacets{
		Type: map[string]int64{}, Status: map[string]int64{}, Category: map[string]int64{}}}
}

// search runs the ranking statement and returns its answer and the data version it
// was computed at.
func (db *DB) search(ctx context.Context, cs compiledSearch, types []string, limit int) (coop.SearchResult, int64, error) {
	out := emptySearchResult()
	stmt, args := db.searchStatement(cs, types, limit)
	var rows []searchRow
	if err := db.gorm.WithContext(ctx).Raw(stmt, args...).Scan(&rows).Error; err != nil {
		return out, 0, translate(err)
	}
	var (
		page    []searchRow
		version int64
	)
	for _, r := range rows {
		switch r.Kind {
		case "hit":
			page = append(page, r)
			continue
		case "version":
			version = r.N
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
	out.Items = make([]coop.SearchHit, len(page))
	for i, r := range page {
		out.Items[i] = coop.SearchHit{Type: r.ResourceType, ID: r.ResourceID, Slug: r.Slug, Title: r.Title,
			Snippet: snippet(r.Title, r.Description, cs.terms), Score: math.Round(r.Score*1e4) / 1e4}
	}
	return out, version, nil
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
