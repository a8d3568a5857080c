package store

import (
	"strings"

	"gorm.io/gorm"
)

// PostgreSQL side of search: a GIN index on the tsvector of every document token
// (to_tsvector('simple', …) keeps the [a-z0-9] tokens as they are) answers the prefix
// terms; pg_trgm's %> on a GIN gin_trgm_ops index answers typos, with the extension's
// default threshold pg_trgm.word_similarity_threshold = 0.6, which equals
// textsearch.WordSimilarityThreshold (leave it at its default, or typo matches differ
// from SQLite's).

// pgTSQuery renders terms as "a:* & b:*" (weight "A": "a:*A & b:*A"). Terms are
// [a-z0-9] only (textsearch.Query); the string is still passed as a parameter.
func pgTSQuery(terms []string, weight string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t + ":*" + weight
	}
	return strings.Join(parts, " & ")
}

// pgFTS: every term is a prefix of a token of the document.
func pgFTS(cs compiledSearch, d string) (string, []any) {
	return d + ".tsv @@ to_tsquery('simple', ?)", []any{pgTSQuery(cs.terms, "")}
}

// pgFuzzy: the query is a typo of (a part of) the name.
func pgFuzzy(cs compiledSearch, d string) (string, []any) {
	return d + ".name_fold %> CAST(? AS text)", []any{cs.fold}
}

func pgMatch(cs compiledSearch, d string) (string, []any) {
	f, fa := pgFTS(cs, d)
	t, ta := pgFuzzy(cs, d)
	return "(" + f + " OR " + t + ")", append(fa, ta...)
}

// pgFTSScore scores a document that matched pgFTS (see the outline in search.go); the
// same arithmetic as sqliteFTSScore, in float8.
func pgFTSScore(cs compiledSearch, d string) (string, []any) {
	name := "LEAST(1.0, CAST(? AS float8) / GREATEST(length(" + d + ".name_fold), 1))"
	qlen := float64(len(cs.fold))
	return `(CASE WHEN ` + d + `.name_fold = ? OR ` + d + `.slug_fold = ? THEN 5.0
 WHEN ` + d + `.name_tsv @@ to_tsquery('simple', ?) THEN 3 + ` + name + `
 WHEN ` + d + `.name_tsv @@ to_tsquery('simple', ?) THEN 2 + ` + name + `
 ELSE 1 + LEAST(1.0, CAST(? AS float8) / GREATEST(` + d + `.body_len, 1)) END) / 5.0`,
		[]any{cs.fold, cs.fold, pgTSQuery(cs.terms, "A"), qlen, pgTSQuery(cs.terms, ""), qlen, qlen}
}

// pgFuzzyScore scores a typo-only match: its word similarity times the share of the
// name the query covers, divided by 5.
func pgFuzzyScore(cs compiledSearch, d string) (string, []any) {
	return "CAST(word_similarity(CAST(? AS text), " + d + ".name_fold) AS float8) * LEAST(1.0, CAST(? AS float8) / GREATEST(length(" +
		d + ".name_fold), 1)) / 5.0", []any{cs.fold, float64(len(cs.fold))}
}

// upsertSearchDocsPG writes documents; the tsvectors are generated columns.
func upsertSearchDocsPG(tx *gorm.DB, docs []searchDoc) error {
	values, args := searchDocValues(docs)
	return tx.Exec("INSERT INTO search_documents ("+searchDocColumns+") VALUES "+values+searchDocUpdate, args...).Error
}
