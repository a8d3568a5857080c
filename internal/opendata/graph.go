package opendata

import (
	"time"

	"github.com/piprate/json-gold/ld"
)

// graph is an RDF graph as json-gold's quads (all in the default graph), in the order
// they were added; the serialisers group them by subject in that order.
type graph struct{ quads []*ld.Quad }

func (g *graph) add(s, p string, o ld.Node) {
	g.quads = append(g.quads, ld.NewQuad(ld.NewIRI(s), ld.NewIRI(p), o, ""))
}

// typed adds rdf:type statements.
func (g *graph) typed(s string, classes ...string) {
	for _, c := range classes {
		g.add(s, rdfType, ld.NewIRI(c))
	}
}

// ref adds a statement whose object is an IRI.
func (g *graph) ref(s, p string, iris ...string) {
	for _, o := range iris {
		g.add(s, p, ld.NewIRI(o))
	}
}

// text adds a statement whose object is a plain string.
func (g *graph) text(s, p, v string) { g.add(s, p, ld.NewLiteral(v, ld.XSDString, "")) }

// langString is a string in a language.
func langString(v, lang string) ld.Node { return ld.NewLiteral(v, ld.RDFLangString, lang) }

// bilingual adds a German and an English string.
func (g *graph) bilingual(s, p, de, en string) {
	g.add(s, p, langString(de, "de"))
	g.add(s, p, langString(en, "en"))
}

// dateTime adds a statement whose object is an xsd:dateTime (UTC, seconds).
func (g *graph) dateTime(s, p string, t time.Time) {
	g.add(s, p, ld.NewLiteral(t.UTC().Format(time.RFC3339), xsdDateTime, ""))
}

// date adds a statement whose object is an xsd:date.
func (g *graph) date(s, p string, t time.Time) {
	g.add(s, p, ld.NewLiteral(t.Format(time.DateOnly), xsdDate, ""))
}

// dataset returns the graph as json-gold's dataset (for JSON-LD and N-Quads).
func (g *graph) dataset() *ld.RDFDataset {
	ds := ld.NewRDFDataset()
	ds.Graphs["@default"] = g.quads
	return ds
}
