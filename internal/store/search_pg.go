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
	fts: func(cs compiledSearch, d string, g gate) (string, []any) {
		return g.and(d+".tsv @@ to_tsquery('simple', ?)", pgTSQuery(cs.terms))
	},
	names: func(cs compiledSearch, d string) (string, []any) {
		return pgTS(cs, d, "names_tsv")
	},
	// A set from the GIN index, hashed once per query: no vector is read per row.
	title: func(cs compiledSearch, d string) (string, []any) {
		return "(" + d + ".resource_type, " + d + ".resource_id) IN (SELECT resource_type, resource_id FROM search_documents WHERE title_tsv @@ to_tsquery('simple', ?))",
			[]any{pgTSQuery(cs.terms)}
	},
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

// pgTSQuery renders terms as "a:* & b:*". Terms are [a-z0-9] only (textsearch.Query);
// the string is still passed as a parameter.
func pgTSQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t + ":*"
	}
	return strings.Join(parts, " & ")
}

// pgTS: every term is a prefix of a token in the column, a GIN index scan.
func pgTS(cs compiledSearch, d, column string) (string, []any) {
	return d + "." + column + " @@ to_tsquery('simple', ?)", []any{pgTSQuery(cs.terms)}
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
