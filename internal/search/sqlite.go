package search

import (
	"context"
	"encoding/json"
)

// sqlite binds sql/sqlite: a contentless FTS5 table answers the prefix terms; lists
// are JSON arrays (json_each).
type sqlite struct{}

var sqliteStatements = statements("sqlite", "search", "filter", "resources", "stale", "index",
	"index_fts_delete", "index_fts", "words", "trigrams", "known", "candidates", "version")

func (sqlite) stmt(name string) string { return sqliteStatements[name] }

func (sqlite) list(v []string) any { return jsonText(v) }

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("search: " + err.Error()) // strings and numbers always marshal
	}
	return string(b)
}

// ftsQuery renders terms as '("a"* OR "b"*) AND "c"*', limited to columns
// ('{title_doc} : (…)') unless columns is empty. Prefixes are [a-z0-9] only, so
// quoting makes FTS5 read each as a plain prefix; the text is still a parameter.
func ftsQuery(q compiled, columns string) string {
	s := matchExpr(q, func(p string) string { return `"` + p + `"*` }, " OR ", " AND ")
	if columns != "" {
		s = "{" + columns + "} : (" + s + ")"
	}
	return s
}

func (sqlite) matchArgs(q compiled) []any {
	return []any{ftsQuery(q, ""), ftsQuery(q, "title_doc alt_doc"), ftsQuery(q, "title_doc")}
}

func (sqlite) filterArg(q compiled) any { return ftsQuery(q, "") }

func (sqlite) writeDocs(ctx context.Context, tx Conn, docs []doc, words []string, count func()) error {
	js := jsonText(docs)
	count()
	rows, err := tx.QueryContext(ctx, sqliteStatements["index"], js, DocVersion)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	count()
	if _, err := tx.ExecContext(ctx, sqliteStatements["index_fts_delete"], jsonText(ids)); err != nil {
		return err
	}
	count()
	if _, err = tx.ExecContext(ctx, sqliteStatements["index_fts"], js); err != nil {
		return err
	}
	return addWords(ctx, tx, words, count)
}

// addWords adds words to the vocabulary, with the inner trigrams of the new ones.
func addWords(ctx context.Context, tx Conn, words []string, count func()) error {
	if len(words) == 0 {
		return nil
	}
	count()
	rows, err := tx.QueryContext(ctx, sqliteStatements["words"], jsonText(words))
	if err != nil {
		return err
	}
	var (
		trigrams []string
		ids      []int64
	)
	for rows.Next() {
		var (
			id   int64
			word string
		)
		if err := rows.Scan(&id, &word); err != nil {
			rows.Close()
			return err
		}
		for _, t := range innerTrigrams(word) {
			trigrams, ids = append(trigrams, t), append(ids, id)
		}
	}
	if err := rows.Close(); err != nil || len(trigrams) == 0 {
		return err
	}
	count()
	_, err = tx.ExecContext(ctx, sqliteStatements["trigrams"], jsonText(trigrams), jsonText(ids))
	return err
}
