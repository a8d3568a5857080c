package store

import (
	"strings"

	"gorm.io/gorm"
)

// PostgreSQL side of search: GIN indexes on tsvectors of the document tokens
// (to_tsvector('simple', …) keeps the [a-z0-9] tokens as they are) answer the prefix
// terms; pg_trgm's %> on a GIN gin_trgm_ops index answers typos, with the extension's
// default threshold pg_trgm.word_similarity_threshold = 0.6, which equals
// textsearch.WordSimilarityThreshold (leave it at its default, or typo matches differ
// from SQLite's).
var pgSearch = searchSQL{
	match: func(cs compiledSearch, d string, in searchColumns, g gate) (string, []any) {
		cond, args := pgMatch(cs, d, in)
		return g.and(cond, args...)
	},
	// The vector of one row is read and tested (no index).
	matchRow: pgMatch,
	fuzzy: func(cs compiledSearch, d string, g gate) (string, []any) {
		return g.and(d+".name_fold %> CAST(? AS text)", cs.fold)
	},
	closeness: func(expr string) string {
		return "LEAST(1.0, CAST(? AS float8) / GREATEST(" + expr + ", 1))"
	},
	similarity: func(d string) string {
		return "CAST(word_similarity(CAST(? AS text), " + d + ".name_fold) AS float8)"
	},
}

// pgVectors are the tsvector columns of search_documents by searchColumns.
var pgVectors = [...]string{inTitle: "title_tsv", inNames: "names_tsv", inAll: "tsv"}

// pgMatch: every term is a prefix of a token in the columns' vector; a GIN index scan
// when it finds rows.
func pgMatch(cs compiledSearch, d string, in searchColumns) (string, []any) {
	return d + "." + pgVectors[in] + " @@ to_tsquery('simple', ?)", []any{pgTSQuery(cs.terms)}
}

// pgTSQuery renders terms as "a:* & b:*". Terms are [a-z0-9] only (textsearch.Query);
// the string is still passed as a parameter.
func pgTSQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t + ":*"
	}
	return strings.Join(parts, " & ")
}

// upsertSearchDocsPG writes documents; the token vectors are generated columns.
func upsertSearchDocsPG(tx *gorm.DB, docs []searchDoc) error {
	args := make([]any, 0, 12*len(docs))
	rows := make([]string, len(docs))
	for i, d := range docs {
		rows[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		args = append(searchDocArgs(args, d), d.TitleDoc, d.AltDoc, d.BodyDoc)
	}
	return tx.Exec("INSERT INTO search_documents ("+searchDocColumns+", title_doc, alt_doc, body_doc) VALUES "+
		strings.Join(rows, ", ")+searchDocUpdate+`,
 title_doc = excluded.title_doc, alt_doc = excluded.alt_doc, body_doc = excluded.body_doc`, args...).Error
}
