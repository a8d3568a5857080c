package search

import (
	"cmp"
	"context"
	"slices"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// Typing errors are corrected word by word against the vocabulary of indexed words
// (search_words), the same way on both databases:
//
//  1. known.sql: which query words of textsearch.MinTypoLen letters or more start
//     some indexed word (by one of their prefixes). Those are as typed — the usual
//     case, one index probe per word.
//  2. For each other word, candidates.sql: the indexed words sharing enough of its
//     trigrams to be within textsearch.MaxEdits errors of it, or of a part of it.
//  3. textsearch.Correction compares them. If the word is a part of a candidate as
//     typed (a compound part: "archivierung" in "langzeitarchivierung"), it stays as
//     it is; otherwise it also matches what its corrections find, and the query's
//     scores fall below every hit of a query found as typed (typoScale).

// maxCorrections bounds the corrections of one word, maxCandidates the words
// compared with it.
const (
	maxCorrections = 8
	maxCandidates  = 500
)

// correct widens the terms of q that are likely mistyped by their corrections.
func (e *engine) correct(ctx context.Context, db Conn, q compiled) (compiled, error) {
	var probe []string
	for _, t := range q.terms {
		if textsearch.MaxEdits(t.Word) > 0 {
			probe = append(probe, t.Prefixes...)
		}
	}
	if len(probe) == 0 {
		return q, nil
	}
	known, err := e.strings(ctx, db, e.b.stmt("known"), e.b.list(probe))
	if err != nil {
		return q, err
	}
	terms := slices.Clone(q.terms)
	for i, t := range terms {
		if textsearch.MaxEdits(t.Word) == 0 || slices.ContainsFunc(t.Prefixes, func(p string) bool { return slices.Contains(known, p) }) {
			continue
		}
		fixes, asTyped, err := e.corrections(ctx, db, t)
		if err != nil {
			return q, err
		}
		if asTyped || len(fixes) == 0 {
			continue
		}
		terms[i].Prefixes = append(slices.Clone(t.Prefixes), fixes...)
		q.corrected = true
	}
	q.terms = terms
	return q, nil
}

// corrections returns the prefixes that find what a mistyped word means, closest
// first, or asTyped when one of its prefixes is a part of an indexed word as typed.
func (e *engine) corrections(ctx context.Context, db Conn, t textsearch.Term) (fixes []string, asTyped bool, err error) {
	word := t.Word
	trigrams := innerTrigrams(word)
	// Each error changes at most three trigrams of the word.
	shared := max(1, len(trigrams)-3*textsearch.MaxEdits(word))
	words, err := e.strings(ctx, db, e.b.stmt("candidates"), e.b.list(trigrams), shared, maxCandidates)
	if err != nil {
		return nil, false, err
	}
	type fix struct {
		prefix string
		edits  int
	}
	var found []fix
	for _, w := range words {
		if slices.ContainsFunc(t.Prefixes, func(p string) bool { return textsearch.PartOf(p, w) }) {
			return nil, true, nil
		}
		p, edits, ok := textsearch.Correction(word, w)
		if !ok {
			continue
		}
		if edits == 0 {
			return nil, true, nil
		}
		found = append(found, fix{p, edits})
	}
	slices.SortFunc(found, func(a, b fix) int { return cmp.Or(cmp.Compare(a.edits, b.edits), cmp.Compare(a.prefix, b.prefix)) })
	for _, f := range found {
		if !slices.Contains(fixes, f.prefix) && len(fixes) < maxCorrections {
			fixes = append(fixes, f.prefix)
		}
	}
	return fixes, false, nil
}

// strings runs a query of one text column.
func (e *engine) strings(ctx context.Context, db Conn, query string, args ...any) ([]string, error) {
	e.statements.Add(1)
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
