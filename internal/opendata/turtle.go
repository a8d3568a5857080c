package opendata

import (
	"bufio"
	"io"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// writeTurtle writes g as Turtle: the prefixes, then one block per subject in the order
// the graph named them, its rdf:type first as "a", objects of one predicate joined by
// commas. The Go RDF libraries the module proxy serves (json-gold) write JSON-LD and
// N-Quads but no Turtle, so this printer is the project's own; CI parses its output
// with n3 and compares it with the JSON-LD form, triple by triple (tools/rdf).
func writeTurtle(w io.Writer, g *graph) error {
	bw := bufio.NewWriter(w)
	for _, p := range prefixes {
		bw.WriteString("@prefix " + p.prefix + ": <" + p.ns + "> .\n")
	}
	type predicate struct {
		iri     string
		objects []ld.Node
	}
	type subject struct {
		node  ld.Node
		preds []*predicate
	}
	var order []*subject
	bySubject := map[string]*subject{}
	for _, q := range g.quads {
		key := term(q.Subject)
		s := bySubject[key]
		if s == nil {
			s = &subject{node: q.Subject}
			bySubject[key] = s
			order = append(order, s)
		}
		p := q.Predicate.GetValue()
		var pred *predicate
		for _, x := range s.preds {
			if x.iri == p {
				pred = x
			}
		}
		if pred == nil {
			pred = &predicate{iri: p}
			if p == rdfType {
				s.preds = append([]*predicate{pred}, s.preds...)
			} else {
				s.preds = append(s.preds, pred)
			}
		}
		pred.objects = append(pred.objects, q.Object)
	}
	for _, s := range order {
		bw.WriteString("\n" + term(s.node))
		for i, p := range s.preds {
			if i > 0 {
				bw.WriteString(" ;")
			}
			verb := "a"
			if p.iri != rdfType {
				verb = iriTerm(p.iri)
			}
			bw.WriteString("\n    " + verb + " ")
			for j, o := range p.objects {
				if j > 0 {
					bw.WriteString(" ,\n        ")
				}
				bw.WriteString(term(o))
			}
		}
		bw.WriteString(" .\n")
	}
	return bw.Flush()
}

// term writes an RDF term in Turtle.
func term(n ld.Node) string {
	switch v := n.(type) {
	case ld.IRI:
		return iriTerm(v.Value)
	case ld.BlankNode:
		return v.Attribute
	case ld.Literal:
		s := `"` + escapeString(v.Value) + `"`
		switch {
		case v.Language != "":
			return s + "@" + v.Language
		case v.Datatype == "" || v.Datatype == ld.XSDString:
			return s
		default:
			return s + "^^" + iriTerm(v.Datatype)
		}
	}
	panic("opendata: unknown RDF term")
}

// iriTerm writes an IRI as a prefixed name where one fits, else as <IRI>.
func iriTerm(iri string) string {
	for _, p := range prefixes {
		if local, ok := strings.CutPrefix(iri, p.ns); ok && plainLocal(local) {
			return p.prefix + ":" + local
		}
	}
	return "<" + escapeIRI(iri) + ">"
}

// plainLocal reports whether a local name can follow a prefix as it is: letters,
// digits, '_' and '-', not starting with '-' (a subset of Turtle's PN_LOCAL that
// needs no escapes).
func plainLocal(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// escapeIRI escapes what Turtle's IRIREF may not hold: controls, space and <>"{}|^`\.
func escapeIRI(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) {
			b.WriteString(uchar(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeString escapes a string for a Turtle STRING_LITERAL_QUOTE.
func escapeString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(uchar(r))
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func uchar(r rune) string {
	const hex = "0123456789ABCDEF"
	return `\u` + string([]byte{hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf]})
}
