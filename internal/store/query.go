package store

import (
	"strconv"
	"strings"
)

// query is a SELECT of the store's own making: every read of the directory's resources
// is built with it, and it runs on either executor (read.go). Its parts are SQL
// fragments with ? placeholders; an argument that is a slice stands for a list and is
// written out as (?, ?, …), so "col IN ?" takes a slice. The executor turns the
// placeholders into the dialect's own ($1, $2, … on PostgreSQL).
type query struct {
	cols  string
	from  fragment
	joins []fragment
	conds []fragment
	order []string
	limit int // 0: none
}

// fragment is a piece of SQL with the arguments of its placeholders.
type fragment struct {
	sql  string
	args []any
}

// selectFrom starts a query of cols from the table expression from.
func selectFrom(cols, from string, args ...any) *query {
	return &query{cols: cols, from: fragment{from, args}}
}

// join adds a JOIN clause ("LEFT JOIN t x ON …", "CROSS JOIN (…) t").
func (q *query) join(sql string, args ...any) *query {
	q.joins = append(q.joins, fragment{sql, args})
	return q
}

// where adds a condition; conditions are ANDed.
func (q *query) where(cond string, args ...any) *query {
	return q.whereFragment(fragment{cond, args})
}

// whereFragment adds a condition given as a fragment.
func (q *query) whereFragment(f fragment) *query {
	q.conds = append(q.conds, f)
	return q
}

// orderBy adds a sort term ("pr.title_sort ASC").
func (q *query) orderBy(term string) *query {
	q.order = append(q.order, term)
	return q
}

// clone returns a copy that can be changed without changing q.
func (q *query) clone() *query {
	c := *q
	c.joins = append([]fragment(nil), q.joins...)
	c.conds = append([]fragment(nil), q.conds...)
	c.order = append([]string(nil), q.order...)
	return &c
}

// stmt returns the statement of q, built by the executor in its placeholder style.
func (q *query) stmt() stmt { return stmt{q: q} }

// countStmt returns the statement that counts q's rows (its order and limit dropped).
func (q *query) countStmt() stmt {
	c := q.clone()
	c.cols, c.order, c.limit = "count(*)", nil, 0
	return c.stmt()
}

// build returns the statement and its arguments, lists written out, with ?
// placeholders or (dollar) PostgreSQL's $1, $2, …. The limit is a literal, not a
// parameter: PostgreSQL plans a parameter LIMIT as if it were 10 % of the rows, which
// makes the generic plan of a page look dear.
func (q *query) build(dollar bool) (string, []any) {
	b := sqlWriter{dollar: dollar}
	n := len(q.cols) + len(q.from.sql) + 64
	for _, f := range q.joins {
		n += len(f.sql) + 8
	}
	for _, f := range q.conds {
		n += len(f.sql) + 8
	}
	b.sql.Grow(n)
	b.text("SELECT " + q.cols + " FROM ")
	b.add(q.from)
	for _, j := range q.joins {
		b.text(" ")
		b.add(j)
	}
	for i, w := range q.conds {
		if i == 0 {
			b.text(" WHERE ")
		} else {
			b.text(" AND ")
		}
		b.add(w)
	}
	if len(q.order) > 0 {
		b.text(" ORDER BY " + strings.Join(q.order, ", "))
	}
	if q.limit > 0 {
		b.text(" LIMIT " + strconv.Itoa(q.limit))
	}
	return b.sql.String(), b.args
}

// rawStmt returns the statement of one fragment, its lists written out.
func rawStmt(sql string, args ...any) stmt {
	var b sqlWriter
	b.add(fragment{sql, args})
	return stmt{sql: b.sql.String(), args: b.args}
}

// sqlWriter writes fragments, expanding list arguments.
type sqlWriter struct {
	sql    strings.Builder
	args   []any
	dollar bool // $1, $2, … instead of ?
}

func (b *sqlWriter) text(s string) { b.sql.WriteString(s) }

// add writes f, its list arguments as (?, ?, …); an empty list is (NULL), which
// matches nothing.
func (b *sqlWriter) add(f fragment) {
	if len(f.args) == 0 {
		b.sql.WriteString(f.sql)
		return
	}
	n := 0
	s := f.sql
	for {
		i := strings.IndexByte(s, '?')
		if i < 0 || n == len(f.args) {
			b.sql.WriteString(s)
			return
		}
		b.sql.WriteString(s[:i])
		s = s[i+1:]
		b.arg(f.args[n])
		n++
	}
}

// placeholder writes the next placeholder.
func (b *sqlWriter) placeholder() {
	if !b.dollar {
		b.sql.WriteByte('?')
		return
	}
	b.sql.WriteByte('$')
	b.sql.WriteString(strconv.Itoa(len(b.args) + 1))
}

func (b *sqlWriter) arg(a any) {
	list, ok := a.([]string)
	if !ok {
		b.placeholder()
		b.args = append(b.args, a)
		return
	}
	if len(list) == 0 {
		b.sql.WriteString("(NULL)")
		return
	}
	b.sql.WriteByte('(')
	for i, v := range list {
		if i > 0 {
			b.sql.WriteByte(',')
		}
		b.placeholder()
		b.args = append(b.args, v)
	}
	b.sql.WriteByte(')')
}

// numbered turns the ? placeholders of stmt into $1, $2, … (PostgreSQL's). Question
// marks inside quoted strings and identifiers are left alone.
func numbered(stmt string) string {
	if strings.IndexByte(stmt, '?') < 0 {
		return stmt
	}
	var b strings.Builder
	b.Grow(len(stmt) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(stmt); i++ {
		c := stmt[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
