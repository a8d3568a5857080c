package search

import (
	"context"
	"embed"
	"strings"
)

//go:embed sql
var sqlFiles embed.FS

// statement returns the text of sql/DIALECT/NAME.sql without its comment lines
// (GORM, which receives filter.sql, would take a ? in a comment for a placeholder).
func statement(dialect, name string) string {
	b, err := sqlFiles.ReadFile("sql/" + dialect + "/" + name + ".sql")
	if err != nil {
		panic("search: " + err.Error()) // the files are embedded: a missing one is a bug
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// statements reads every statement of a dialect once.
func statements(dialect string, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = statement(dialect, n)
	}
	return m
}

// backend is what differs between the dialects: the statements and how their
// parameters are passed.
type backend interface {
	// stmt returns a statement by its file name (without .sql).
	stmt(name string) string
	// list passes a list of strings as one parameter.
	list(v []string) any
	// matchArgs are the leading parameters of search.sql, which depend on the
	// dialect: the match expressions; the shared ones follow (see engine.run).
	matchArgs(q compiled) []any
	// filterArg is the match expression of filter.sql.
	filterArg(q compiled) any
	// writeDocs writes documents in tx and adds words (sorted, distinct) to the
	// vocabulary, with the inner trigrams of those that are new; count is called for
	// each statement sent.
	writeDocs(ctx context.Context, tx Conn, docs []doc, words []string, count func()) error
}

// matchExpr renders terms for a database: within a term its prefixes joined by or,
// the terms joined by and; prefix renders one prefix ('p:*' or '"p"*').
func matchExpr(q compiled, prefix func(string) string, or, and string) string {
	var b strings.Builder
	for i, t := range q.terms {
		if i > 0 {
			b.WriteString(and)
		}
		if len(t.Prefixes) > 1 {
			b.WriteByte('(')
		}
		for j, p := range t.Prefixes {
			if j > 0 {
				b.WriteString(or)
			}
			b.WriteString(prefix(p))
		}
		if len(t.Prefixes) > 1 {
			b.WriteByte(')')
		}
	}
	return b.String()
}
