package opendata

import (
	"encoding/json"
	"io"

	"github.com/piprate/json-gold/ld"
)

// writeJSONLD writes g as compacted JSON-LD: json-gold turns the quads into JSON-LD
// (fromRDF) and compacts it with a context of the catalogue's prefixes, so that the
// document and the Turtle state the same triples. The context is inline: a harvester
// needs no network to read it.
func writeJSONLD(w io.Writer, g *graph) error {
	proc := ld.NewJsonLdProcessor()
	opts := ld.NewJsonLdOptions("")
	opts.UseNativeTypes = false
	expanded, err := ld.NewJsonLdApi().FromRDF(g.dataset(), opts)
	if err != nil {
		return err
	}
	context := map[string]any{}
	for _, p := range prefixes {
		context[p.prefix] = p.ns
	}
	compacted, err := proc.Compact(expanded, map[string]any{"@context": context}, opts)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(compacted)
}

// writeNQuads writes g as N-Quads (json-gold's serialiser): the canonical form tests
// compare with.
func writeNQuads(w io.Writer, g *graph) error {
	return (&ld.NQuadRDFSerializer{}).SerializeTo(w, g.dataset())
}
