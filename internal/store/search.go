package store

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// Search, in outline (issue 5):
//
//   - Every write of a resource calls indexSearch in its transaction; it upserts one row
//     of search_documents with the resource's folded name and slug and three token
//     documents (textsearch.Document of the name, of the alternative names and of the
//     body text). Soft deletes keep the row: triggers mirror deleted_at (and a
//     project's status and category) into it, so queries need no join to count.
//   - A query matches a document when every textsearch.Query term is a prefix of one of
//     its tokens (PostgreSQL: tsvector @@ 'a:* & b:*' on a GIN index; SQLite: FTS5
//     '"a"* AND "b"*'). Only if no live document's names match all terms that way
//     (the user has likely mistyped a name) does a query also match the documents
//     whose folded name it is a typo of (pg_trgm word_similarity ≥
//     textsearch.WordSimilarityThreshold; SQLite: the same number from
//     textsearch.WordSimilarity over trigram-table candidates). That keeps frequent
//     words from paying for typo matching they do not need.
//   - The score is computed in SQL from facts that are equal on both databases, so that
//     both rank alike: a band (exact name/slug 4, all terms in the name 3, in the name
//     and alternative names 2, anywhere 1, typo 0) plus, within the band, a closeness
//     in (0, 1] — the share of the name (band 1: of the body text) the query's length
//     covers, for typos times their word similarity — divided by 5.
//   - One statement per search (searchStatement) reads the bands best first, each
//     only when the better ones leave the page unfilled, counts all matches by type,
//     status and category and reads the page's details. Its answer is kept in the
//     search cache for the directory's current data version (searchcache.go), so a
//     popular word costs one such statement per write, not one per request.

// searchDocVersion is the version of the documents indexSearch writes. Raise it when
// textsearch or the searchText of a resource changes: the next start rebuilds every
// older document (reindexSearch).
const searchDocVersion = 1

// searchText is what a resource contributes to search: its title (weighs most),
// alternative names (short name, slug, tags) and body text (description and the like).
type searchText struct {
	Title string
	Alt   string
	Body  string
}

// searchDoc is one row of search_documents with its token documents.
type searchDoc struct {
	Type, ID                  string
	Live                      bool
	Status, Category          *string // projects only
	BodyLen                   int
	NameFold, SlugFold        string
	TitleDoc, AltDoc, BodyDoc string
}

// searchState is what a document mirrors of its resource row besides the text.
type searchState struct {
	Slug             string
	Live             bool
	Status, Category *string
}

func newSearchDoc(typ, id string, st searchState, t searchText) searchDoc {
	return searchDoc{
		Type: typ, ID: id, Live: st.Live, Status: st.Status, Category: st.Category,
		BodyLen:  len(textsearch.Fold(t.Body)),
		NameFold: textsearch.Fold(t.Title), SlugFold: textsearch.Fold(st.Slug),
		TitleDoc: textsearch.Document(t.Title), AltDoc: textsearch.Document(t.Alt),
		BodyDoc: textsearch.Document(t.Body),
	}
}

// searchTables maps resource types to their tables, name columns and the columns of
// searchState.
var searchTables = map[string]struct{ table, name, state string }{
	coop.TypePartner:     {"partners", "name", "slug, deleted_at IS NULL AS live, NULL AS status, NULL AS category"},
	coop.TypeCooperation: {"cooperations", "title", "slug, deleted_at IS NULL AS live, NULL AS status, NULL AS category"},
	coop.TypeProject:     {"projects", "title", "slug, deleted_at IS NULL AS live, status, category"},
	coop.TypeSolution:    {"solutions", "name", "slug, deleted_at IS NULL AS live, NULL AS status, NULL AS category"},
}

// indexSearch maintains the search document of one resource inside the write's
// transaction (after the resource's row is written: slug and state are read from it;
// later soft deletes, restores and status changes reach the document by trigger).
func (db *DB) indexSearch(tx *gorm.DB, typ, id string, t searchText) error {
	tab, ok := searchTables[typ]
	if !ok {
		return fmt.Errorf("indexSearch: unknown resource type %q", typ)
	}
	var st searchState
	if err := tx.Raw("SELECT "+tab.state+" FROM "+tab.table+" WHERE id = ?", id).Scan(&st).Error; err != nil {
		return err
	}
	return db.writeSearchDocs(tx, []searchDoc{newSearchDoc(typ, id, st, t)})
}

// writeSearchDocs upserts documents, at most searchBatch at a time.
func (db *DB) writeSearchDocs(tx *gorm.DB, docs []searchDoc) error {
	for len(docs) > 0 {
		n := min(len(docs), searchBatch)
		var err error
		if db.dialect == Postgres {
			err = upsertSearchDocsPG(tx, docs[:n])
		} else {
			err = upsertSearchDocsSQLite(tx, docs[:n])
		}
		if err != nil {
			return err
		}
		docs = docs[n:]
	}
	return nil
}

// searchBatch bounds the rows of one multi-row INSERT (SQLite allows 32766 parameters).
const searchBatch = 500

// searchDocColumns are the columns both dialects share, in the order of searchDocArgs.
const searchDocColumns = "resource_type, resource_id, doc_version, live, status, category, body_len, name_fold, slug_fold"

func searchDocArgs(args []any, d searchDoc) []any {
	return append(args, d.Type, d.ID, searchDocVersion, d.Live, d.Status, d.Category, d.BodyLen, d.NameFold, d.SlugFold)
}

const searchDocUpdate = ` ON CONFLICT (resource_type, resource_id) DO UPDATE SET
 doc_version = excluded.doc_version, live = excluded.live, status = excluded.status,
 category = excluded.category, body_len = excluded.body_len, name_fold = excluded.name_fold,
 slug_fold = excluded.slug_fold`

// compiledSearch is user input turned into what the databases compare.
type compiledSearch struct {
	terms    []string // textsearch.Query; empty: the query has no words and finds nothing
	fold     string   // textsearch.Fold of the input, for exact and typo matches
	trigrams []string // textsearch.Trigrams(fold)
}

// compileSearch checks and prepares a query: an empty or over-long one is EInvalid; one
// without letters or digits compiles to a query that finds nothing.
func compileSearch(text string) (compiledSearch, error) {
	terms, err := textsearch.Query(text)
	switch {
	case errors.Is(err, textsearch.ErrNoTerms):
		return compiledSearch{}, nil
	case errors.Is(err, textsearch.ErrEmpty):
		return compiledSearch{}, coop.Errorf(coop.EInvalid, "q: darf nicht leer sein / must not be empty")
	case errors.Is(err, textsearch.ErrTooLong):
		return compiledSearch{}, coop.Errorf(coop.EInvalid, "q: höchstens %d Zeichen / at most %d characters",
			textsearch.MaxQueryLen, textsearch.MaxQueryLen)
	case err != nil:
		return compiledSearch{}, coop.Errorf(coop.EInvalid, "q: %v", err)
	}
	fold := textsearch.Fold(text)
	return compiledSearch{terms: terms, fold: fold, trigrams: textsearch.Trigrams(fold)}, nil
}

// searchFilter restricts q (whose table has the given alias) to resources of typ
// matching the query text, with the same matching as Search; the list keeps its own
// order, count and cursor.
func (db *DB) searchFilter(q *gorm.DB, typ, alias, text string) (*gorm.DB, error) {
	if text == "" {
		return q, nil
	}
	cs, err := compileSearch(text)
	if err != nil {
		return nil, err
	}
	if len(cs.terms) == 0 {
		return q.Where("1 = 0"), nil
	}
	s := db.searchSQL()
	names, namesArgs := s.match(cs, "x", inNames, gate{})
	fts, ftsArgs := s.match(cs, "d", inAll, gate{})
	fuzzy, fuzzyArgs := s.fuzzy(cs, "d", gate{sql: "NOT EXISTS (SELECT 1 FROM names)"})
	typed := s.noIndex + "d.resource_type = " + sqlString(typ)
	args := append(append(namesArgs, ftsArgs...), fuzzyArgs...)
	// The shape matters on PostgreSQL. names is a CTE: a CTE is planned for all its
	// rows, so the index is taken (under EXISTS it would scan the table hoping for an
	// early match). And a subquery with a CTE is never merged into the list's query,
	// so the list is always driven from the matches: merged, the planner may walk the
	// whole collection in its sort order and test every row's vector for a rare word.
	// The type is a constant for the reason given at searchStatement.
	return q.Where(alias+`.id IN (WITH names AS MATERIALIZED (SELECT 1 FROM search_documents x WHERE x.live = TRUE AND `+
		names+`) SELECT d.resource_id FROM search_documents d WHERE `+typed+` AND `+fts+`
 UNION ALL SELECT d.resource_id FROM search_documents d WHERE `+typed+` AND `+fuzzy+`)`,
		args...), nil
}

// searchColumns selects the token documents a match looks at.
type searchColumns int

const (
	inTitle searchColumns = iota // the name
	inNames                      // the name and the alternative names
	inAll                        // every text
)

// searchSQL holds a dialect's SQL fragments over a search_documents alias; each
// function returns a fragment and its arguments.
type searchSQL struct {
	// match: every term is a prefix of a token of the document's columns, if gate
	// holds; answered by the full-text index, so it finds the matches.
	match func(cs compiledSearch, d string, in searchColumns, g gate) (string, []any)
	// matchRow: the same test of a document found by other means, cheap for a few
	// rows (no index scan of all matches).
	matchRow func(cs compiledSearch, d string, in searchColumns) (string, []any)
	// fuzzy: the query is a typo of (a part of) the document's name, if gate holds.
	fuzzy func(cs compiledSearch, d string, g gate) (string, []any)
	// closeness(expr) is min(1, ? / max(expr, 1)) in double precision; its argument
	// is the query's length.
	closeness func(expr string) string
	// similarity(d) is the word similarity of the query (an argument) to d.name_fold.
	similarity func(d string) string
	// noIndex marks a column so that the planner does not use an index for it: SQLite
	// would rather walk all documents of a type by the (resource_type, resource_id)
	// index than look up the matches by rowid.
	noIndex string
}

// gate is an uncorrelated condition under which a predicate is evaluated at all. The
// dialect places it where the database tests it once, before it runs any index scan
// of the predicate (SQLite would otherwise compute an IN list it does not need).
type gate struct {
	sql  string
	args []any
}

// and prefixes cond with the gate's condition.
func (g gate) and(cond string, args ...any) (string, []any) {
	if g.sql == "" {
		return cond, args
	}
	return g.sql + " AND " + cond, append(append([]any{}, g.args...), args...)
}

func (db *DB) searchSQL() searchSQL {
	if db.dialect == Postgres {
		return pgSearch
	}
	return sqliteSearch
}
