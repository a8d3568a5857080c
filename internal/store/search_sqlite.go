package store

import (
	"database/sql/driver"
	"math"
	"strings"

	gosqlite "github.com/glebarez/go-sqlite"
	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// SQLite side of search: an FTS5 index (search_fts, external content over
// search_documents) answers the prefix terms; typos are found through search_trigrams
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

const ftsRowids = "SELECT rowid FROM search_fts WHERE search_fts MATCH ?"

// sqliteFTS: every term is a prefix of a token of the document.
func sqliteFTS(cs compiledSearch, d string) (string, []any) {
	return d + ".id IN (" + ftsRowids + ")", []any{ftsQuery(cs.terms, "")}
}

// minSharedTrigrams is a lower bound of the trigrams a name must share with the query
// to reach the word-similarity threshold: similarity ≤ shared / |query trigrams|.
func minSharedTrigrams(n int) int {
	return max(1, int(math.Floor(textsearch.WordSimilarityThreshold*float64(n))))
}

// sqliteFuzzyIDs selects the ids of documents whose name the query is a typo of.
func sqliteFuzzyIDs(cs compiledSearch) (string, []any) {
	return `SELECT t.doc_id FROM (SELECT doc_id FROM search_trigrams WHERE trigram IN ?
 GROUP BY doc_id HAVING count(*) >= ?) t JOIN search_documents f ON f.id = t.doc_id
 WHERE ` + sqliteWordSimilarity + `(?, f.name_fold) >= ?`,
		[]any{cs.trigrams, minSharedTrigrams(len(cs.trigrams)), cs.fold, textsearch.WordSimilarityThreshold}
}

// sqliteFuzzy: the query is a typo of (a part of) the name.
func sqliteFuzzy(cs compiledSearch, d string) (string, []any) {
	q, args := sqliteFuzzyIDs(cs)
	return d + ".id IN (" + q + ")", args
}

// sqliteMatch is one rowid set, so SQLite looks the documents up by rowid.
func sqliteMatch(cs compiledSearch, d string) (string, []any) {
	q, args := sqliteFuzzyIDs(cs)
	return d + ".id IN (" + ftsRowids + " UNION " + q + ")", append([]any{ftsQuery(cs.terms, "")}, args...)
}

// sqliteFTSScore is pgFTSScore for SQLite: the same bands and arithmetic in doubles.
func sqliteFTSScore(cs compiledSearch, d string) (string, []any) {
	name := "min(1.0, ? / max(length(" + d + ".name_fold), 1))"
	qlen := float64(len(cs.fold))
	return `(CASE WHEN ` + d + `.name_fold = ? OR ` + d + `.slug_fold = ? THEN 5.0
 WHEN ` + d + `.id IN (` + ftsRowids + `) THEN 3 + ` + name + `
 WHEN ` + d + `.id IN (` + ftsRowids + `) THEN 2 + ` + name + `
 ELSE 1 + min(1.0, ? / max(` + d + `.body_len, 1)) END) / 5.0`,
		[]any{cs.fold, cs.fold, ftsQuery(cs.terms, "title_doc"), qlen, ftsQuery(cs.terms, "title_doc alt_doc"), qlen, qlen}
}

// sqliteFuzzyScore is pgFuzzyScore for SQLite.
func sqliteFuzzyScore(cs compiledSearch, d string) (string, []any) {
	return sqliteWordSimilarity + "(?, " + d + ".name_fold) * min(1.0, ? / max(length(" + d + ".name_fold), 1)) / 5.0",
		[]any{cs.fold, float64(len(cs.fold))}
}

// upsertSearchDocsSQLite writes documents (the FTS index follows by trigger) and
// replaces their names' trigrams.
func upsertSearchDocsSQLite(tx *gorm.DB, docs []searchDoc) error {
	values, args := searchDocValues(docs)
	var written []struct {
		ID           int64
		ResourceType string
		ResourceID   string
	}
	err := tx.Raw("INSERT INTO search_documents ("+searchDocColumns+") VALUES "+values+searchDocUpdate+
		" RETURNING id, resource_type, resource_id", args...).Scan(&written).Error
	if err != nil {
		return err
	}
	ids := make(map[[2]string]int64, len(written))
	all := make([]int64, len(written))
	for i, w := range written {
		ids[[2]string{w.ResourceType, w.ResourceID}] = w.ID
		all[i] = w.ID
	}
	if err := tx.Exec("DELETE FROM search_trigrams WHERE doc_id IN ?", all).Error; err != nil {
		return err
	}
	var rows []string
	var targs []any
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		err := tx.Exec("INSERT INTO search_trigrams (trigram, doc_id) VALUES "+strings.Join(rows, ", "), targs...).Error
		rows, targs = rows[:0], targs[:0]
		return err
	}
	for _, d := range docs {
		id := ids[[2]string{d.Type, d.ID}]
		for _, t := range textsearch.Trigrams(d.NameFold) {
			rows = append(rows, "(?, ?)")
			targs = append(targs, t, id)
			if len(rows) == 5000 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}
