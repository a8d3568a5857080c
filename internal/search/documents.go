package search

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// What each resource contributes to search: its name or title (weighs most), its
// alternative names and its body text.
//
//	partner      name; short name, slug, AGS, ARS, Leitweg-ID; description, city
//	cooperation  title; slug; description, legal basis
//	project      title; slug, tags; description
//	solution     name; slug; description
//
// Identifiers are words of digits (textsearch: found from their start, so the AGS
// prefix 05515 finds Stadt Münster).

// Resource is what a resource contributes to its search document, as a row of
// resources.sql has it: every column any resource contributes (LegalBasis and TagList
// are JSON lists of strings, empty ones "[]"; Status and Category only projects').
type Resource struct {
	Type, ID, Slug                           string
	Live                                     bool
	Status, Category                         *string
	Title, ShortName, Description, City      string
	AGS, ARS, LeitwegID, LegalBasis, TagList string
}

func (r Resource) text() (title, alt, body string) {
	switch r.Type {
	case coop.TypePartner:
		return r.Title, strings.Join([]string{r.ShortName, r.Slug, r.AGS, r.ARS, r.LeitwegID}, " "),
			r.Description + " " + r.City
	case coop.TypeCooperation:
		return r.Title, r.Slug, r.Description + " " + strings.Join(jsonList(r.LegalBasis), " ")
	case coop.TypeProject:
		return r.Title, r.Slug + " " + strings.Join(jsonList(r.TagList), " "), r.Description
	}
	return r.Title, r.Slug, r.Description
}

// jsonList reads a JSON list of strings column; anything else contributes nothing.
func jsonList(s string) []string {
	var l []string
	_ = json.Unmarshal([]byte(s), &l)
	return l
}

// doc is a search document as the index statements read it (JSON).
type doc struct {
	Type     string  `json:"resource_type"`
	ID       string  `json:"resource_id"`
	Live     bool    `json:"live"`
	Status   *string `json:"status"`
	Category *string `json:"category"`
	BodyLen  int     `json:"body_len"`
	NameFold string  `json:"name_fold"`
	SlugFold string  `json:"slug_fold"`
	TitleDoc string  `json:"title_doc"`
	AltDoc   string  `json:"alt_doc"`
	BodyDoc  string  `json:"body_doc"`
	words    []string
}

func newDoc(r Resource) doc {
	title, alt, body := r.text()
	return doc{Type: r.Type, ID: r.ID, Live: r.Live, Status: r.Status, Category: r.Category,
		BodyLen: len(textsearch.Fold(body)), NameFold: textsearch.Fold(title), SlugFold: textsearch.Fold(r.Slug),
		TitleDoc: textsearch.Document(title), AltDoc: textsearch.Document(alt), BodyDoc: textsearch.Document(body),
		words: vocabulary(title, alt, body)}
}

// minWordLen is the shortest word the vocabulary keeps: a typing error is corrected
// in words of textsearch.MinTypoLen letters, which may have lost one.
const minWordLen = textsearch.MinTypoLen - 1

// vocabulary returns the distinct folded words of texts that typing errors are
// corrected to (numbers are identifiers, never corrected).
func vocabulary(texts ...string) []string {
	var out []string
	for _, t := range texts {
		for _, w := range textsearch.Tokens(t) {
			if len(w) >= minWordLen && len(w) <= textsearch.MaxTokenLen && strings.Trim(w, "0123456789") != "" {
				out = append(out, w)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// indexBatch bounds the resources of one Index statement.
const indexBatch = 500

func (e *engine) Index(ctx context.Context, tx Conn, typ string, ids ...string) error {
	if !slices.Contains(coop.SearchTypes, typ) {
		return fmt.Errorf("search: Index: unknown resource type %q", typ)
	}
	for len(ids) > 0 {
		n := min(len(ids), indexBatch)
		if err := e.index(ctx, tx, typ, ids[:n]); err != nil {
			return fmt.Errorf("search: index %s: %w", typ, err)
		}
		ids = ids[n:]
	}
	return nil
}

// index reads the rows of the resources of typ with ids and writes their documents.
func (e *engine) index(ctx context.Context, tx Conn, typ string, ids []string) error {
	e.statements.Add(1)
	rows, err := tx.QueryContext(ctx, e.b.stmt("resources"), typ, e.b.list(ids))
	if err != nil {
		return err
	}
	var rs []Resource
	for rows.Next() {
		var r Resource
		if err := rows.Scan(&r.Type, &r.ID, &r.Slug, &r.Live, &r.Status, &r.Category, &r.Title, &r.ShortName,
			&r.Description, &r.City, &r.AGS, &r.ARS, &r.LeitwegID, &r.LegalBasis, &r.TagList); err != nil {
			rows.Close()
			return err
		}
		rs = append(rs, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return e.write(ctx, tx, rs)
}

func (e *engine) Write(ctx context.Context, tx Conn, r Resource) error {
	if !slices.Contains(coop.SearchTypes, r.Type) {
		return fmt.Errorf("search: Write: unknown resource type %q", r.Type)
	}
	if err := e.write(ctx, tx, []Resource{r}); err != nil {
		return fmt.Errorf("search: write %s: %w", r.Type, err)
	}
	return nil
}

// write writes the documents of rs and adds their words to the vocabulary.
func (e *engine) write(ctx context.Context, tx Conn, rs []Resource) error {
	if len(rs) == 0 {
		return nil
	}
	docs := make([]doc, len(rs))
	var words []string
	for i, r := range rs {
		docs[i] = newDoc(r)
		words = append(words, docs[i].words...)
	}
	slices.Sort(words)
	return e.b.writeDocs(ctx, tx, docs, e.unknown(tx, slices.Compact(words)), func() { e.statements.Add(1) })
}

// knownWords bounds the words the engine remembers to be in the vocabulary (a few
// hundred kB): the frequent ones stay.
const knownWords = 20000

// unknown returns the words of a write (sorted, distinct) the vocabulary may lack: on
// a transaction that runs code after its commit (afterCommitConn, the store's on
// PostgreSQL), those not known from an earlier committed write, which are known once
// this one has committed (words never leave the vocabulary); elsewhere all of them.
// Every write but the first of a word then sends and looks up none of it, nor its
// trigrams.
func (e *engine) unknown(tx Conn, words []string) []string {
	ac, ok := tx.(afterCommitConn)
	if !ok {
		return words
	}
	out := make([]string, 0, len(words))
	for _, w := range words {
		if !e.known.Contains(w) {
			out = append(out, w)
		}
	}
	remember := func() {
		for _, w := range out {
			e.known.Add(w, struct{}{})
		}
	}
	if len(out) > 0 && !ac.AfterCommit(remember) {
		return words
	}
	return out
}

// afterCommitConn is a write transaction that may run a function once it has
// committed: AfterCommit reports whether it will (not in the writes of a batch, whose
// savepoints may roll back alone).
type afterCommitConn interface {
	AfterCommit(fn func()) bool
}

// wordTrigrams are the inner trigrams of words, as pairs of lists of the same length:
// each trigram beside its word.
func wordTrigrams(words []string) (ws, trigrams []string) {
	for _, w := range words {
		for _, t := range innerTrigrams(w) {
			ws, trigrams = append(ws, w), append(trigrams, t)
		}
	}
	return ws, trigrams
}

// innerTrigrams returns the distinct three-letter substrings of a folded word.
func innerTrigrams(w string) []string {
	var out []string
	for i := 0; i+3 <= len(w); i++ {
		out = append(out, w[i:i+3])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// reindexBatch is the number of resources Reindex indexes per transaction.
const reindexBatch = 1000

func (e *engine) Reindex(ctx context.Context, inTx func(ctx context.Context, fn func(tx Conn) error) error) (int, error) {
	total := 0
	for _, typ := range coop.SearchTypes {
		after := "00000000-0000-0000-0000-000000000000"
		for {
			var ids []string
			err := inTx(ctx, func(tx Conn) error {
				var err error
				ids, err = e.stale(ctx, tx, typ, after)
				if err != nil || len(ids) == 0 {
					return err
				}
				return e.Index(ctx, tx, typ, ids...)
			})
			if err != nil {
				return total, fmt.Errorf("reindex %s search documents: %w", typ, err)
			}
			total += len(ids)
			if len(ids) < reindexBatch {
				break
			}
			after = ids[len(ids)-1]
		}
	}
	return total, nil
}

// stale returns up to reindexBatch ids of resources of typ after the id after that
// lack a current document.
func (e *engine) stale(ctx context.Context, tx Conn, typ, after string) ([]string, error) {
	e.statements.Add(1)
	rows, err := tx.QueryContext(ctx, e.b.stmt("stale"), typ, DocVersion, after, reindexBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
