package store

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// Search, in outline (issue 5):
//
//   - Every write of a resource calls indexSearch in its transaction; it upserts one row
//     of search_documents with the resource's folded name and slug and three token
//     documents (textsearch.Document of the name, of the alternative names and of the
//     body text). Soft deletes leave the row; every query joins the live resource.
//   - A query matches a document when every textsearch.Query term is a prefix of one of
//     its tokens (PostgreSQL: tsvector @@ 'a:* & b:*' on a GIN index; SQLite: FTS5
//     '"a"* AND "b"*'), or when the folded query is a typo of the folded name
//     (pg_trgm word_similarity ≥ textsearch.WordSimilarityThreshold; SQLite: the same
//     number from textsearch.WordSimilarity over trigram-table candidates).
//   - The score is computed in SQL from facts that are equal on both databases, so that
//     both rank alike: a band (exact name/slug 4, all terms in the name 3, in the name
//     and alternative names 2, anywhere 1, typo 0) plus, within the band, a closeness
//     in (0, 1] — the share of the name (band 1: of the body text) the query's length
//     covers, for typos times their word similarity — divided by 5.

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

// searchDoc is one row of search_documents.
type searchDoc struct {
	Type, ID                                   string
	NameFold, SlugFold, TitleDoc, AltDoc, Body string
	BodyLen                                    int
}

func newSearchDoc(typ, id, slug string, t searchText) searchDoc {
	return searchDoc{
		Type: typ, ID: id,
		NameFold: textsearch.Fold(t.Title), SlugFold: textsearch.Fold(slug),
		TitleDoc: textsearch.Document(t.Title), AltDoc: textsearch.Document(t.Alt),
		Body: textsearch.Document(t.Body), BodyLen: len(textsearch.Fold(t.Body)),
	}
}

// searchTables maps resource types to their tables and name columns.
var searchTables = map[string]struct{ table, name string }{
	coop.TypePartner:     {"partners", "name"},
	coop.TypeCooperation: {"cooperations", "title"},
	coop.TypeProject:     {"projects", "title"},
	coop.TypeSolution:    {"solutions", "name"},
}

// indexSearch maintains the search document of one resource inside the write's
// transaction (after the resource's row is written: the slug is read from it).
func (db *DB) indexSearch(tx *gorm.DB, typ, id string, t searchText) error {
	st, ok := searchTables[typ]
	if !ok {
		return fmt.Errorf("indexSearch: unknown resource type %q", typ)
	}
	var slug string
	if err := tx.Table(st.table).Select("slug").Where("id = ?", id).Scan(&slug).Error; err != nil {
		return err
	}
	return db.writeSearchDocs(tx, []searchDoc{newSearchDoc(typ, id, slug, t)})
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

const searchDocColumns = "resource_type, resource_id, doc_version, body_len, name_fold, slug_fold, title_doc, alt_doc, body_doc"

// searchDocValues renders "(?,…),(?,…)" with the arguments of docs.
func searchDocValues(docs []searchDoc) (string, []any) {
	args := make([]any, 0, 9*len(docs))
	rows := make([]string, len(docs))
	for i, d := range docs {
		rows[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
		args = append(args, d.Type, d.ID, searchDocVersion, d.BodyLen, d.NameFold, d.SlugFold, d.TitleDoc, d.AltDoc, d.Body)
	}
	return strings.Join(rows, ", "), args
}

const searchDocUpdate = ` ON CONFLICT (resource_type, resource_id) DO UPDATE SET
 name_fold = excluded.name_fold, slug_fold = excluded.slug_fold, title_doc = excluded.title_doc,
 alt_doc = excluded.alt_doc, body_doc = excluded.body_doc, doc_version = excluded.doc_version,
 body_len = excluded.body_len`

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

// searchFilter restricts q (alias a) to resources of typ matching the query text, with
// the same matching as Search; the list keeps its own order, count and cursor.
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
	match, args := db.searchMatch(cs, "d")
	return q.Where(alias+".id IN (SELECT d.resource_id FROM search_documents d WHERE d.resource_type = ? AND "+match+")",
		append([]any{typ}, args...)...), nil
}

// searchSQL builds a dialect's search predicates and scores over a search_documents
// alias. Each returns an SQL fragment and its arguments.
type searchSQL struct {
	match      func(cs compiledSearch, d string) (string, []any) // fts or fuzzy
	fts        func(cs compiledSearch, d string) (string, []any) // every term a token prefix
	fuzzy      func(cs compiledSearch, d string) (string, []any) // a typo of the name
	ftsScore   func(cs compiledSearch, d string) (string, []any) // score of an fts match
	fuzzyScore func(cs compiledSearch, d string) (string, []any) // score of a fuzzy-only match
}

var (
	pgSearch     = searchSQL{pgMatch, pgFTS, pgFuzzy, pgFTSScore, pgFuzzyScore}
	sqliteSearch = searchSQL{sqliteMatch, sqliteFTS, sqliteFuzzy, sqliteFTSScore, sqliteFuzzyScore}
)

func (db *DB) searchSQL() searchSQL {
	if db.dialect == Postgres {
		return pgSearch
	}
	return sqliteSearch
}

// searchMatch is the match predicate over search_documents alias d.
func (db *DB) searchMatch(cs compiledSearch, d string) (string, []any) {
	return db.searchSQL().match(cs, d)
}
