package sqldb

import (
	"strconv"
	"strings"
)

// Query is a SELECT of the store's own making: every read of the directory's
// resources is built with it and runs on either executor (exec.go). Its parts are SQL
// fragments with ? placeholders; an argument that is a []string stands for a list and
// is written out as (?,?,…), so "col IN ?" takes a []string (any other argument, a pgx
// array too, is one parameter). The executor writes the placeholders in its dialect's
// style ($1, $2, … on PostgreSQL).
type Query struct {
	Cols  string
	from  Fragment
	joins []Fragment
	conds []Fragment
	order []string
	// Limit is the LIMIT (0: none). It is written as a literal, not a parameter:
	// PostgreSQL plans a parameter LIMIT as if it were 10 % of the rows, which makes
	// the generic plan of a page look dear.
	Limit int
}

// Fragment is a piece of SQL with the arguments of its ? placeholders.
type Fragment struct {
	SQL  string
	Args []any
}

// SelectFrom starts a query of cols from the table expression from.
func SelectFrom(cols, from string, args ...any) *Query {
	return &Query{Cols: cols, from: Fragment{from, args}}
}

// Join adds a JOIN clause ("LEFT JOIN t x ON …", "CROSS JOIN (…) t").
func (q *Query) Join(sql string, args ...any) *Query {
	q.joins = append(q.joins, Fragment{sql, args})
	return q
}

// Where adds a condition; conditions are ANDed.
func (q *Query) Where(cond string, args ...any) *Query { return q.WhereFragment(Fragment{cond, args}) }

// WhereFragment adds a condition given as a fragment.
func (q *Query) WhereFragment(f Fragment) *Query {
	q.conds = append(q.conds, f)
	return q
}

// OrderBy adds a sort term ("pr.title_sort ASC").
func (q *Query) OrderBy(term string) *Query {
	q.order = append(q.order, term)
	return q
}

// Stmt returns the statement of q, built by the executor in its placeholder style.
func (q *Query) Stmt() Stmt { return Stmt{q: q} }

// CountStmt returns the statement that counts q's rows (its order and limit dropped).
func (q *Query) CountStmt() Stmt {
	c := *q
	c.Cols, c.order, c.Limit = "count(*)", nil, 0
	return c.Stmt()
}

// Build returns the statement and its arguments, lists written out, with ?
// placeholders or (dollar) PostgreSQL's $1, $2, ….
func (q *Query) Build(dollar bool) (string, []any) {
	b := sqlWriter{dollar: dollar}
	n := len(q.Cols) + len(q.from.SQL) + 64
	for _, f := range q.joins {
		n += len(f.SQL) + 8
	}
	for _, f := range q.conds {
		n += len(f.SQL) + 8
	}
	b.sql.Grow(n)
	b.text("SELECT " + q.Cols + " FROM ")
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
	if q.Limit > 0 {
		b.text(" LIMIT " + strconv.Itoa(q.Limit))
	}
	return b.sql.String(), b.args
}

// Stmt is one statement to run: a Query, or SQL text with ? placeholders (Raw).
type Stmt struct {
	q    *Query
	sql  string
	args []any
	// GenericPlan runs the statement with its generic plan and without sorting where
	// an index gives the order (see forceGenericPlan; PostgreSQL's native executor
	// only).
	GenericPlan bool
}

// Raw returns the statement of sql, its []string arguments written out as lists.
func Raw(sql string, args ...any) Stmt { return Concat(Fragment{sql, args}) }

// Concat returns the statement of fragments written one after the other, their
// []string arguments written out as lists.
func Concat(fragments ...Fragment) Stmt {
	var b sqlWriter
	for _, f := range fragments {
		b.add(f)
	}
	return Stmt{sql: b.sql.String(), args: b.args}
}

// text returns the statement with ? placeholders or (dollar) $1, $2, ….
func (s Stmt) text(dollar bool) (string, []any) {
	switch {
	case s.q != nil:
		return s.q.Build(dollar)
	case dollar:
		return numbered(s.sql), s.args
	}
	return s.sql, s.args
}

// sqlWriter writes fragments, expanding list arguments.
type sqlWriter struct {
	sql    strings.Builder
	args   []any
	dollar bool // $1, $2, … instead of ?
}

func (b *sqlWriter) text(s string) { b.sql.WriteString(s) }

// add writes f, its list arguments as (?,?,…); an empty list is (NULL), which matches
// nothing.
func (b *sqlWriter) add(f Fragment) {
	if len(f.Args) == 0 {
		b.sql.WriteString(f.SQL)
		return
	}
	n := 0
	s := f.SQL
	for {
		i := strings.IndexByte(s, '?')
		if i < 0 || n == len(f.Args) {
			b.sql.WriteString(s)
			return
		}
		b.sql.WriteString(s[:i])
		s = s[i+1:]
		b.arg(f.Args[n])
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
