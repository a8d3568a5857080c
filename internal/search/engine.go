package search

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strings"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// engine implements Engine on a backend.
type engine struct {
	b          backend
	read       func(ctx context.Context) Conn
	primary    Conn
	cache      *cache // nil: off
	known      *lru.Cache[string, struct{}]
	statements atomic.Uint64
}

func (e *engine) Stats() Stats {
	s := Stats{Statements: e.statements.Load()}
	if e.cache != nil {
		s.CacheHits, s.CacheMisses, s.CacheEntries = e.cache.Stats()
	}
	return s
}

// snippetLen is the length of a hit's snippet in characters.
const snippetLen = 160

// typoScale is the score factor of hits found by corrected typing errors: they rank
// below every hit of what was typed.
const typoScale = 0.2

func emptyResult() coop.SearchResult {
	return coop.SearchResult{Items: []coop.SearchHit{}, Facets: coop.SearchFacets{
		Type: map[string]int64{}, Status: map[string]int64{}, Category: map[string]int64{}}}
}

func (e *engine) Search(ctx context.Context, q coop.SearchQuery) (coop.SearchResult, error) {
	types, limit, err := params(q)
	if err != nil {
		return emptyResult(), err
	}
	cur, err := parseCursor(q.Cursor)
	if err != nil {
		return emptyResult(), err
	}
	cq, err := compile(q.Q)
	if err != nil || len(cq.terms) == 0 {
		return emptyResult(), err
	}
	run := func() (coop.SearchResult, int64, error) { return e.run(ctx, cq, types, limit, cur) }
	if e.cache == nil {
		res, _, err := run()
		return res, err
	}
	version, err := e.version(ctx)
	if err != nil {
		return emptyResult(), err
	}
	res, err := e.cache.Do(ctx, newCacheKey(cq, types, limit, q.Cursor), version, run)
	if err != nil {
		return emptyResult(), err
	}
	return res, nil
}

// version reads the data version on the primary: the whole database work of an
// answer from the cache.
func (e *engine) version(ctx context.Context) (int64, error) {
	e.statements.Add(1)
	rows, err := e.primary.QueryContext(ctx, e.b.stmt("version"))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var v int64
	if rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return 0, err
		}
	}
	return v, rows.Err()
}

// row is a row of search.sql: a hit with its resource's details, a count of matches
// of one type, status and category, or the data version.
type row struct {
	kind                                    string
	band, doc                               sql.NullInt64
	score                                   sql.NullFloat64
	name, typ, id, slug, title, description sql.NullString
	status, category                        sql.NullString
	n                                       int64
}

// run corrects typing errors, runs search.sql and assembles the answer; it returns
// the data version the answer was read at.
func (e *engine) run(ctx context.Context, q compiled, types []string, limit int, cur *cursor) (coop.SearchResult, int64, error) {
	out := emptyResult()
	db := e.read(ctx)
	q, err := e.correct(ctx, db, q)
	if err != nil {
		return out, 0, err
	}
	scale := 1.0
	if q.corrected {
		scale = typoScale
	}
	args := append(e.b.matchArgs(q), q.fold, e.b.list(types), limit+1, float64(len(q.fold)), scale)
	if cur == nil {
		args = append(args, 5, nil, nil, nil, nil, nil)
	} else {
		args = append(args, cur.Band, cur.Score, cur.Name, cur.Type, cur.ID, cur.Doc)
	}
	e.statements.Add(1)
	rows, err := db.QueryContext(ctx, e.b.stmt("search"), args...)
	if err != nil {
		return out, 0, err
	}
	defer rows.Close()
	var (
		hits    []row
		version int64
	)
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.kind, &r.band, &r.score, &r.name, &r.typ, &r.id, &r.doc, &r.slug, &r.title,
			&r.description, &r.status, &r.category, &r.n); err != nil {
			return out, 0, err
		}
		switch r.kind {
		case "hit":
			hits = append(hits, r)
		case "version":
			version = r.n
		default:
			out.Total += r.n
			out.Facets.Type[r.typ.String] += r.n
			if r.status.Valid {
				out.Facets.Status[r.status.String] += r.n
			}
			if r.category.Valid {
				out.Facets.Category[r.category.String] += r.n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return out, 0, err
	}
	// Each band's best come unordered across bands: the page is the best limit of
	// them, in the order of the statement (name_fold's byte order is its COLLATE "C"
	// order; uuids sort like their text; the body band's ties by document id). Bands
	// never share a score.
	slices.SortFunc(hits, func(a, b row) int {
		if c := cmp.Compare(b.score.Float64, a.score.Float64); c != 0 || a.band.Int64 == 1 && b.band.Int64 == 1 {
			return cmp.Or(c, cmp.Compare(a.doc.Int64, b.doc.Int64))
		}
		return cmp.Or(strings.Compare(a.name.String, b.name.String),
			strings.Compare(a.typ.String, b.typ.String), strings.Compare(a.id.String, b.id.String))
	})
	if len(hits) > limit {
		hits = hits[:limit]
		last := hits[limit-1]
		out.NextCursor = cursor{Band: int(last.band.Int64), Score: last.score.Float64, Name: last.name.String,
			Type: last.typ.String, ID: last.id.String, Doc: last.doc.Int64}.String()
	}
	prefixes := textsearch.Prefixes(q.terms)
	out.Items = make([]coop.SearchHit, len(hits))
	for i, r := range hits {
		out.Items[i] = coop.SearchHit{Type: r.typ.String, ID: r.id.String, Slug: r.slug.String, Title: r.title.String,
			Snippet: snippet(r.title.String, r.description.String, prefixes), Score: math.Round(r.score.Float64*1e4) / 1e4}
	}
	return out, version, nil
}

// snippet highlights the description around its first match, or the title when only
// the title matches (or there is no description).
func snippet(title, description string, prefixes []string) string {
	if description != "" {
		s := textsearch.Highlight(description, prefixes, snippetLen)
		if strings.Contains(s, "<mark>") {
			return s
		}
		if t := textsearch.Highlight(title, prefixes, snippetLen); strings.Contains(t, "<mark>") {
			return t
		}
		return s
	}
	return textsearch.Highlight(title, prefixes, snippetLen)
}

func (e *engine) Filter(ctx context.Context, typ, text string) (string, []any, error) {
	if !slices.Contains(coop.SearchTypes, typ) {
		return "", nil, errors.New("search: Filter: unknown resource type " + typ)
	}
	q, err := compile(text)
	if err != nil {
		return "", nil, err
	}
	if len(q.terms) == 0 {
		return "SELECT resource_id FROM search_documents WHERE 1 = 0", nil, nil
	}
	if q, err = e.correct(ctx, e.read(ctx), q); err != nil {
		return "", nil, err
	}
	return e.b.stmt("filter"), []any{e.b.filterArg(q), typ}, nil
}
