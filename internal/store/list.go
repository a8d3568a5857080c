package store

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// Default and maximum page sizes.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// sortColumn maps an API sort field to its column; time columns decode from cursors as
// times so that both drivers compare them as they store them.
type sortColumn struct {
	column string
	isTime bool
}

// listSpec describes one collection's list: its table alias, sortable fields and
// default order.
type listSpec struct {
	alias       string
	sorts       map[string]sortColumn
	defaultSort string
}

// cursor is what next_cursor encodes: the last row's sort values and id, plus the sort
// it belongs to (a cursor is refused under another sort).
type cursor struct {
	Sort string `json:"s"`
	Vals []any  `json:"v"`
	ID   string `json:"id"`
}

func sortSignature(keys []coop.SortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Field
		if k.Desc {
			parts[i] = "-" + k.Field
		}
	}
	return strings.Join(parts, ",")
}

// page applies sort, keyset condition and limit (one row more than the page, which
// tells whether another page follows) to q. It returns the effective sort keys and
// the page's size. Errors are EInvalid (400): unknown sort field, bad cursor.
func (s listSpec) page(q *sqldb.Query, p coop.Page) ([]coop.SortKey, int, error) {
	limit := p.Limit
	if limit == 0 {
		limit = defaultLimit
	}
	if limit < 1 || limit > maxLimit {
		return nil, 0, coop.Errorf(coop.EInvalid, "limit muss zwischen 1 und %d liegen / limit must be 1..%[1]d", maxLimit)
	}
	keys := p.Sort
	if len(keys) == 0 {
		keys = []coop.SortKey{{Field: s.defaultSort}}
	}
	for _, k := range keys {
		if _, ok := s.sorts[k.Field]; !ok {
			return nil, 0, coop.Errorf(coop.EInvalid, "Unbekanntes Sortierfeld %q / unknown sort field %[1]q", k.Field)
		}
	}
	if p.Cursor != "" {
		c, err := decodeCursor(p.Cursor)
		if err != nil || c.Sort != sortSignature(keys) || len(c.Vals) != len(keys) {
			return nil, 0, coop.Errorf(coop.EInvalid, "Ungültiger cursor / invalid cursor")
		}
		cond, args, err := s.keyset(keys, c)
		if err != nil {
			return nil, 0, err
		}
		q.Where(cond, args...)
	}
	for _, k := range keys {
		dir := " ASC"
		if k.Desc {
			dir = " DESC"
		}
		q.OrderBy(s.alias + "." + s.sorts[k.Field].column + dir)
	}
	q.OrderBy(s.alias + ".id ASC")
	q.Limit = limit + 1
	return keys, limit, nil
}

// keyset builds "a >= ? AND ((a > ?) OR (a = ? AND b > ?) OR …)" ending with the id
// tie-breaker. The leading bound on the first sort column is implied by the OR terms;
// it is there for the planner: it makes the page an index range starting at the cursor
// (PostgreSQL and SQLite use an OR of row comparisons only as a filter, so a page deep
// in the list would scan every row before it).
func (s listSpec) keyset(keys []coop.SortKey, c cursor) (string, []any, error) {
	type col struct {
		name string
		op   string
		val  any
	}
	cols := make([]col, 0, len(keys)+1)
	for i, k := range keys {
		sc := s.sorts[k.Field]
		v := c.Vals[i]
		if sc.isTime {
			str, ok := v.(string)
			t, err := time.Parse(time.RFC3339Nano, str)
			if !ok || err != nil {
				return "", nil, coop.Errorf(coop.EInvalid, "Ungültiger cursor / invalid cursor")
			}
			v = t
		} else if _, ok := v.(string); !ok {
			return "", nil, coop.Errorf(coop.EInvalid, "Ungültiger cursor / invalid cursor")
		}
		op := ">"
		if k.Desc {
			op = "<"
		}
		cols = append(cols, col{s.alias + "." + sc.column, op, v})
	}
	cols = append(cols, col{s.alias + ".id", ">", c.ID})
	var ors []string
	var args []any
	for i := range cols {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, cols[j].name+" = ?")
			args = append(args, cols[j].val)
		}
		ands = append(ands, cols[i].name+" "+cols[i].op+" ?")
		args = append(args, cols[i].val)
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	lead := cols[0].name + " " + cols[0].op + "= ?"
	return lead + " AND (" + strings.Join(ors, " OR ") + ")", append([]any{cols[0].val}, args...), nil
}

// nextCursor encodes the position after the last row, given its sort values.
func nextCursor(keys []coop.SortKey, vals []any, id string) string {
	for i, v := range vals {
		if t, ok := v.(time.Time); ok {
			vals[i] = t.UTC().Format(time.RFC3339Nano)
		}
	}
	b, _ := json.Marshal(cursor{Sort: sortSignature(keys), Vals: vals, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, err
	}
	// A cursor is the client's to send back: whatever it holds reaches the query, so
	// the id must be an id (PostgreSQL compares it as a uuid) and every value text
	// PostgreSQL takes (no NUL, valid UTF-8).
	if !isUUID(c.ID) {
		return c, fmt.Errorf("no id")
	}
	for _, v := range c.Vals {
		if s, ok := v.(string); ok && coop.TextProblem(s, false) != "" {
			return c, fmt.Errorf("bad value")
		}
	}
	return c, nil
}

// likeEscape escapes LIKE wildcards.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// utcPtr returns t in UTC (nil stays nil): both drivers then hand out the same times.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
