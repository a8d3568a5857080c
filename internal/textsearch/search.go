package textsearch

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits of documents and queries.
const (
	// MaxQueryLen is the maximum length of a query in characters (runes),
	// not counting surrounding white space.
	MaxQueryLen = 200
	// MaxTokenLen is the maximum length of a document token or query term
	// in bytes; longer words are truncated on both sides alike.
	MaxTokenLen = 64
	// MinHeadLen is the minimum number of bytes before a compound part.
	MinHeadLen = 3
	// MinPartLen is the minimum length of an emitted compound part.
	MinPartLen = 3
	// MaxPartLen truncates compound parts; query terms longer than this
	// still match whole words but no longer match inside compounds.
	MaxPartLen = 24
)

// Query errors. Callers answer ErrEmpty and ErrTooLong with 400 Bad Request
// and ErrNoTerms (input such as "!!!" or "—") with an empty result.
var (
	// ErrEmpty: the query is empty or only white space.
	ErrEmpty = errors.New("textsearch: empty query")
	// ErrTooLong: the query has more than MaxQueryLen characters.
	ErrTooLong = errors.New("textsearch: query too long")
	// ErrNoTerms: the query has no letters or digits, e.g. "&& !!" or "😀".
	ErrNoTerms = errors.New("textsearch: query contains no searchable words")
)

// hyphens join the parts of a hyphenated compound ("IT-Hotline").
var hyphens = strings.NewReplacer("-", "", "\u2010", "", "\u2011", "")

// parts calls emit with the folded word w (truncated to MaxTokenLen) and, unless
// it is a number, all its compound parts: suffixes starting at least MinHeadLen
// bytes in and at least MinPartLen bytes long, each truncated to MaxPartLen.
func parts(w string, emit func(string)) {
	if len(w) > MaxTokenLen {
		w = w[:MaxTokenLen]
	}
	emit(w)
	if isNumber(w) {
		// Numbers are identifiers (AGS, ARS, Leitweg-IDs, years): found from their
		// start ("05515" finds 05515000), never from a part in the middle.
		return
	}
	for i := MinHeadLen; len(w)-i >= MinPartLen; i++ {
		p := w[i:]
		if len(p) > MaxPartLen {
			p = p[:MaxPartLen]
		}
		emit(p)
	}
}

// Document returns the search document of a resource built from texts (its
// name, title, description, …): a space-separated list of distinct [a-z0-9]
// tokens — each folded word, its compound parts and, for hyphenated words,
// the joined form ("ithotline") with its parts — in order of first
// occurrence. Store it in an FTS5 column or index it with PostgreSQL
// to_tsvector('simple', …); see the package documentation.
func Document(texts ...string) string {
	seen := make(map[string]struct{})
	var b strings.Builder
	emit := func(tok string) {
		if _, dup := seen[tok]; dup {
			return
		}
		seen[tok] = struct{}{}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tok)
	}
	for _, text := range texts {
		for _, w := range Tokens(text) {
			parts(w, emit)
		}
		for _, chunk := range strings.Fields(text) {
			if joined := hyphens.Replace(chunk); joined != chunk {
				for _, w := range Tokens(joined) {
					parts(w, emit)
				}
			}
		}
	}
	return b.String()
}

// A Term is one word of a query. Word is its folded form; Prefixes are what a
// document token may start with to match it, any of them: the word's stem first,
// then the forms German derives from it (see [Derive]). Every prefix is
// [a-z0-9], at most MaxTokenLen bytes.
type Term struct {
	Word     string
	Prefixes []string
}

// Query turns user input into search terms, one per folded word (forms of an
// earlier word left out), in input order. A document matches when, for every term, one of its prefixes is
// the prefix of one of its tokens (see [Matches]); the last word may thus be
// unfinished (search as you type).
//
// Every character is plain text: quotes, operators of tsquery or FTS5
// (& | ! : * ( ) <-> NEAR), SQL and emoji merely separate words. Query
// returns ErrEmpty for empty or white-space-only input, an error wrapping
// ErrTooLong for more than MaxQueryLen characters, and ErrNoTerms when no
// word remains.
func Query(q string) ([]Term, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, ErrEmpty
	}
	if n := utf8.RuneCountInString(q); n > MaxQueryLen {
		return nil, fmt.Errorf("%w: %d characters, at most %d", ErrTooLong, n, MaxQueryLen)
	}
	var terms []Term
	seen := make(map[string]struct{})
	for _, w := range Tokens(q) {
		if len(w) > MaxTokenLen {
			w = w[:MaxTokenLen]
		}
		prefixes := Derive(w)
		key := strings.Join(prefixes, " ")
		if _, dup := seen[key]; dup {
			continue // another form of an earlier word ("Archiv archive")
		}
		seen[key] = struct{}{}
		terms = append(terms, Term{Word: w, Prefixes: prefixes})
	}
	if len(terms) == 0 {
		return nil, ErrNoTerms
	}
	return terms, nil
}

// Prefixes returns the prefixes of all terms, for [Highlight].
func Prefixes(terms []Term) []string {
	var out []string
	for _, t := range terms {
		out = append(out, t.Prefixes...)
	}
	return out
}

// Matches reports whether every term has a prefix that is the prefix of at
// least one token of doc, the predicate the databases evaluate ('(a:* | b:*) &
// c:*' on PostgreSQL, '("a"* OR "b"*) AND "c"*' in FTS5). It is false when
// terms is empty.
func Matches(doc string, terms []Term) bool {
	if len(terms) == 0 {
		return false
	}
	tokens := strings.Fields(doc)
	for _, t := range terms {
		if !slices.ContainsFunc(tokens, func(tok string) bool { return hasAnyPrefix(tok, t.Prefixes) }) {
			return false
		}
	}
	return true
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// isNumber reports whether w consists of digits only.
func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// wordMatches reports whether some term is a prefix of a token that Document
// would emit for the single original word w.
func wordMatches(w string, terms []string) bool {
	hit := false
	for _, tok := range Tokens(w) {
		parts(tok, func(p string) {
			for _, t := range terms {
				if !hit && strings.HasPrefix(p, t) {
					hit = true
				}
			}
		})
	}
	return hit
}
