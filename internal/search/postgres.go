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
	args := []any{string(js), DocVersion, words, ws, trigrams}
	if l, ok := tx.(laterConn); ok {
		return l.ExecLater(ctx, pgStatements["index"], args...)
	}
	_, err = tx.ExecContext(ctx, pgStatements["index"], args...)
	return err
}

// laterConn is a write transaction that sends a statement with its next one or its
// commit (the store's, sqldb.ExecLater): nothing of a write reads its documents back.
type laterConn interface {
	ExecLater(ctx context.Context, query string, args ...any) error
}
