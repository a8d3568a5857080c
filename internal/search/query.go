package search

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// compiled is user input turned into what the databases compare.
type compiled struct {
	terms     []textsearch.Term // empty: the query has no words and finds nothing
	fold      string            // textsearch.Fold of the input: exact matches
	corrected bool              // some term was widened by typing-error corrections
}

// compile checks and prepares a query: an empty or over-long one is EInvalid; one
// without letters or digits compiles to a query that finds nothing.
func compile(text string) (compiled, error) {
	terms, err := textsearch.Query(text)
	switch {
	case errors.Is(err, textsearch.ErrNoTerms):
		return compiled{}, nil
	case errors.Is(err, textsearch.ErrEmpty):
		return compiled{}, coop.Errorf(coop.EInvalid, "q: darf nicht leer sein / must not be empty")
	case errors.Is(err, textsearch.ErrTooLong):
		return compiled{}, coop.Errorf(coop.EInvalid, "q: höchstens %d Zeichen / at most %d characters",
			textsearch.MaxQueryLen, textsearch.MaxQueryLen)
	case err != nil:
		return compiled{}, coop.Errorf(coop.EInvalid, "q: ungültig / invalid: %v", err)
	}
	return compiled{terms: terms, fold: textsearch.Fold(text)}, nil
}

// key identifies the answer to a compiled query; it is at most a few hundred bytes
// (MaxQueryLen bounds the input) and is hashed before it keys the cache.
func (q compiled) key() string {
	var b strings.Builder
	for _, t := range q.terms {
		b.WriteString(strings.Join(t.Prefixes, "|"))
		b.WriteByte(' ')
	}
	b.WriteByte(0)
	b.WriteString(q.fold)
	return b.String()
}

// params checks the types (none = all) and the limit of a query.
func params(q coop.SearchQuery) ([]string, int, error) {
	limit := q.Limit
	if limit == 0 {
		limit = coop.SearchDefaultLimit
	}
	if limit < 1 || limit > coop.SearchMaxLimit {
		return nil, 0, coop.Errorf(coop.EInvalid, "limit muss zwischen 1 und %d liegen / limit must be 1..%d",
			coop.SearchMaxLimit, coop.SearchMaxLimit)
	}
	for _, t := range q.Types {
		if !slices.Contains(coop.SearchTypes, t) {
			return nil, 0, coop.Errorf(coop.EInvalid, "types: unbekannter Typ %q; erlaubt: %s / unknown type %[1]q; allowed: %[2]s", t,
				strings.Join(coop.SearchTypes, ", "))
		}
	}
	var types []string
	for _, t := range coop.SearchTypes {
		if len(q.Types) == 0 || slices.Contains(q.Types, t) {
			types = append(types, t)
		}
	}
	return types, limit, nil
}

// cursor is the position after the last hit of a page: its band, exact score and
// sort key (name, type and id; in the body band the document id).
type cursor struct {
	Band  int     `json:"b"`
	Score float64 `json:"s"`
	Name  string  `json:"n"`
	Type  string  `json:"t"`
	ID    string  `json:"i"`
	Doc   int64   `json:"d"`
}

// maxCursorLen bounds a cursor a client sends (a name is at most a few hundred bytes).
const maxCursorLen = 1024

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errCursor = coop.Errorf(coop.EInvalid, "cursor: ungültig / invalid")

// parseCursor reads a cursor from next_cursor; "" is the start.
func parseCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > maxCursorLen {
		return nil, errCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, errCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Band < 1 || c.Band > 4 || !slices.Contains(coop.SearchTypes, c.Type) ||
		!isUUID(c.ID) || math.IsNaN(c.Score) || c.Score <= 0 || c.Score > 1 || c.Doc < 1 || c.Doc > math.MaxInt32 {
		return nil, errCursor
	}
	return &c, nil
}

// isUUID reports whether s is a UUID in its canonical lower-case text form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}
