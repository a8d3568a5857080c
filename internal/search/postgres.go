package search

import (
	"context"
	"encoding/json"
)

// postgres binds sql/postgres: tsvector columns with GIN indexes answer the prefix
// terms (to_tsvector('simple', …) keeps textsearch's [a-z0-9] tokens as they are);
// lists are arrays.
type postgres struct{}

var pgStatements = statements("postgres", "search", "filter", "resources", "stale", "index", "known", "candidates", "version")

func (postgres) stmt(name string) string { return pgStatements[name] }

func (postgres) list(v []string) any { return v }

// tsquery renders terms as '(a:* | b:*) & c:*'. Prefixes are [a-z0-9] only
// (textsearch.Query), and the text is passed as a parameter all the same.
func tsquery(q compiled) string {
	return matchExpr(q, func(p string) string { return p + ":*" }, " | ", " & ")
}

func (postgres) matchArgs(q compiled) []any { return []any{tsquery(q)} }

func (postgres) filterArg(q compiled) any { return tsquery(q) }

func (postgres) writeDocs(ctx context.Context, tx Conn, docs []doc, words []string, count func()) error {
	js, err := json.Marshal(docs)
	if err != nil {
		return err
	}
	if words == nil {
		words = []string{}
	}
	ws, trigrams := wordTrigrams(words)
	if ws == nil {
		ws, trigrams = []string{}, []string{}
	}
	count()
	_, err = tx.ExecContext(ctx, pgStatements["index"], string(js), DocVersion, words, ws, trigrams)
	return err
}
