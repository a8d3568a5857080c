package coop

import "context"

// Search limits: the page size of a search across all kinds of resources.
const (
	SearchDefaultLimit = 20
	SearchMaxLimit     = 100
)

// SearchTypes are the kinds of resources search finds, in the order facets list them.
var SearchTypes = []string{TypePartner, TypeCooperation, TypeProject, TypeSolution}

// SearchQuery asks for the best matches of Q across the kinds in Types (all when empty).
type SearchQuery struct {
	Q     string   // what the user typed; see SearchService for the matching
	Types []string // some of SearchTypes; empty = all
	Limit int      // 1..SearchMaxLimit; 0 = SearchDefaultLimit
	// Cursor continues after the page that returned it as NextCursor; "" = the start.
	Cursor string
}

// SearchHit is one matching live resource.
type SearchHit struct {
	Type  string // one of SearchTypes
	ID    string
	Slug  string
	Title string // a partner's or solution's name, a cooperation's or project's title
	// Snippet is HTML: the description (or the title) around the first matched word,
	// every matched word in <mark>…</mark>, everything else escaped.
	Snippet string
	// Score in (0, 1]: 1 for an exact name or slug match; then hits of every word in the
	// title, in the title with short name, slug or tags, anywhere, and last typo matches
	// of the name. Within a band, closer matches score higher: names (for description
	// hits: descriptions) the query covers more of, typos more similar.
	Score float64
}

// SearchFacets count all matches (not only the returned page) by kind, and the
// matching projects by status and by category. Codes without matches are absent.
type SearchFacets struct {
	Type     map[string]int64
	Status   map[string]int64
	Category map[string]int64
}

// SearchResult is a page of matches, ranked, with the number of all matches.
type SearchResult struct {
	Items  []SearchHit
	Total  int64
	Facets SearchFacets
	// NextCursor continues with the next page; "" on the last.
	NextCursor string
}

// SearchService finds live partners, cooperations, projects and solutions by text.
//
// Matching is the same on every database: case, umlauts and ß are folded (Behoerdennetz
// finds Behördennetz), German inflections are stemmed (Rechenzentrum finds
// Rechenzentren), every word of the query must occur as a word, the start of a word or
// a part of a compound (Archivierung finds Langzeitarchivierung; the last word may be
// unfinished), in the name, short name, slug, tags or description. When no name, short
// name, slug or tag matches the words that way, a query also finds the resources whose
// name it is a small typo of (citek finds citeq; trigram word similarity ≥ 0.6). Every
// character is plain text: operators and SQL are never interpreted.
//
// Search returns EInvalid for an empty query, one over 200 characters, an unknown
// type or a limit out of range; a query without letters or digits finds nothing.
type SearchService interface {
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
}
