package store

import (
	"database/sql/driver"
	"math"
	"strings"

	gosqlite "github.com/glebarez/go-sqlite"
	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// SQLite side of search: a contentless FTS5 index (search_fts, rowid =
// search_documents.id) answers the prefix terms; typos are found through search_trigrams
// (the name's trigrams) and scored by ikz_word_similarity, which is
// textsearch.WordSimilarity — the same numbers pg_trgm's word_similarity gives.

// sqliteWordSimilarity is the SQL function ikz_word_similarity(query, text).
const sqliteWordSimilarity = "ikz_word_similarity"

func init() {
	gosqlite.MustRegisterDeterministicScalarFunction(sqliteWordSimilarity, 2,
		func(_ *gosqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			return textsearch.WordSimilarity(sqlText(args[0]), sqlText(args[1])), nil
		})
}

func sqlText(v driver.Value) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	}
	return ""
}

// ftsQuery renders terms as `"a"* AND "b"*`, optionally limited to columns
// (`{title_doc} : (…)`). Terms are [a-z0-9] only (textsearch.Query), so quoting them
// is enough for FTS5 to read every one as a plain prefix; the string is still passed
// as a parameter.
func ftsQuery(terms []string, columns string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t + `"*`
	}
	q := strings.Join(parts, " AND ")
	if columns != "" {
		q = "{" + columns + "} : (" + q + ")"
	}
	return q
}

var sqliteSearch = searchSQL{
	match: func(cs compiledSearch, d string, in searchColumns, g gate) (string, []any) {
		cond, args := g.and("search_fts MATCH ?", ftsQuery(cs.terms, sqliteColumns[in]))
		return d + ".id IN (SELECT rowid FROM search_fts WHERE " + cond + ")", args
	},
	// FTS5 seeks the rowid in the query's doclists instead of reading all of them.
	matchRow: func(cs compiledSearch, d string, in searchColumns) (string, []any) {
		return "EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH ? AND rowid = " + d + ".id)",
			[]any{ftsQuery(cs.terms, sqliteColumns[in])}
	},
	fuzzy: func(cs compiledSearch, d string, g gate) (string, []any) {
		q, args := sqliteFuzzyIDs(cs, g)
		return d + ".id IN (" + q + ")", args
	},
	closeness:  func(expr string) string { return "min(1.0, ? / max(" + expr + ", 1))" },
	similarity: func(d string) string { return sqliteWordSimilarity + "(?, " + d + ".name_fold)" },
	noIndex:    "+",
}

// sqliteColumns are the FTS5 column filters by searchColumns ("" = all columns).
var sqliteColumns = [...]string{inTitle: "title_doc", inNames: "title_doc alt_doc", inAll: ""}

// minSharedTrigrams is a lower bound of the trigrams a name must share with the query
// to reach the word-similarity threshold: similarity ≤ shared / |query trigrams|.
func minSharedTrigrams(n int) int {
	return max(1, int(math.Floor(textsearch.WordSimilarityThreshold*float64(n))))
}

// candidateTrigrams returns the query trigrams to look up and how many of them a
// candidate name must share. The word-start trigrams ("  c") are left out when the
// bound allows it: they are the most frequent ones, and a name sharing k trigrams
// shares at least k - (their number) of the others.
func candidateTrigrams(trigrams []string) ([]string, int) {
	k := minSharedTrigrams(len(trigrams))
	var rest []string
	for _, t := range trigrams {
		if !strings.HasPrefix(t, "  ") {
			rest = append(rest, t)
		}
	}
	if pad := len(trigrams) - len(rest); k-pad >= 1 {
		return rest, k - pad
	}
	return trigrams, k
}

// sqliteFuzzyIDs selects the ids of documents whose name the query is a typo of.
func sqliteFuzzyIDs(cs compiledSearch, g gate) (string, []any) {
	trigrams, k := candidateTrigrams(cs.trigrams)
	cond, args := g.and("trigram IN ?", trigrams)
	return `SELECT t.doc_id FROM (SELECT doc_id FROM search_trigrams WHERE ` + cond + `
 GROUP BY doc_id HAVING count(*) >= ?) t JOIN search_documents f ON f.id = t.doc_id
 WHERE ` + sqliteWordSimilarity + `(?, f.name_fold) >= ?`,
		append(args, k, cs.fold, textsearch.WordSimilarityThreshold)
}

// upsertSearchDocsSQLite writes documents, their FTS5 rows and their names' trigrams.
func upsertSearchDocsSQLite(tx *gorm.DB, docs []searchDoc) error {
	args := make([]any, 0, 9*len(docs))
	rows := make([]string, len(docs))
	for i, d := range docs {
		rows[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
		args = searchDocArgs(args, d)
	}
	var written []struct {
		ID           int64
		ResourceType string
		ResourceID   string
	}
	err := tx.Raw("INSERT INTO search_documents ("+searchDocColumns+") VALUES "+strings.Join(rows, ", ")+
		searchDocUpdate+" RETURNING id, resource_type, resource_id", args...).Scan(&written).Error
	if err != nil {
		return err
	}
	ids := make(map[[2]string]int64, len(written))
	all := make([]int64, len(written))
	for i, w := range written {
		ids[[2]string{w.ResourceType, w.ResourceID}] = w.ID
		all[i] = w.ID
	}
	if err := tx.Exec("DELETE FROM search_fts WHERE rowid IN ?", all).Error; err != nil {
		return err
	}
	if err := tx.Exec("DELETE FROM search_trigrams WHERE doc_id IN ?", all).Error; err != nil {
		return err
	}
	fts, trigrams := &multiInsert{tx: tx, head: "INSERT INTO search_fts (rowid, title_doc, alt_doc, body_doc) VALUES ",
		row: "(?, ?, ?, ?)", max: 1000}, &multiInsert{tx: tx, head: "INSERT INTO search_trigrams (trigram, doc_id) VALUES ",
		row: "(?, ?)", max: 5000}
	for _, d := range docs {
		id := ids[[2]string{d.Type, d.ID}]
		if err := fts.add(id, d.TitleDoc, d.AltDoc, d.BodyDoc); err != nil {
			return err
		}
		for _, t := range textsearch.Trigrams(d.NameFold) {
			if err := trigrams.add(t, id); err != nil {
				return err
			}
		}
	}
	if err := fts.flush(); err != nil {
		return err
	}
	return trigrams.flush()
}

// multiInsert collects rows into multi-row INSERTs of at most max rows.
type multiInsert struct {
	tx        *gorm.DB
	head, row string
	max       int
	rows      []string
	args      []any
}

func (m *multiInsert) add(args ...any) error {
	m.rows = append(m.rows, m.row)
	m.args = append(m.args, args...)
	if len(m.rows) >= m.max {
		return m.flush()
	}
	return nil
}

func (m *multiInsert) flush() error {
	if len(m.rows) == 0 {
		return nil
	}
	err := m.tx.Exec(m.head+strings.Join(m.rows, ", "), m.args...).Error
	m.rows, m.args = m.rows[:0], m.args[:0]
	return err
}
