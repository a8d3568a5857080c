package opendata

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// exampleFacts are facts of a directory with places at every level and periods.
func exampleFacts() facts {
	f := facts{
		stamp:        coop.DataStamp{Version: 42, At: time.Date(2026, 11, 30, 8, 15, 0, 0, time.UTC)},
		partners:     collection{places: places{}},
		cooperations: collection{places: places{}, period: coop.DateSpan{From: coop.MustPartialDate("2016-11")}},
		projects: collection{places: places{}, period: coop.DateSpan{From: coop.MustPartialDate("2015"),
			To: coop.MustPartialDate("2019-02")}},
	}
	for _, k := range []coop.PartnerKey{{Type: "municipality", ARS: "055150000000"}, {Type: "district", ARS: "055660000000"}} {
		f.partners.places.add(k)
		f.projects.places.add(k)
	}
	return f
}

// The JSON-LD states exactly the graph's triples: json-gold reads it back (toRdf) into
// the same N-Quads the graph has.
func TestJSONLDStatesTheGraph(t *testing.T) {
	g := build(Settings{PublisherName: `Kreis "Nord" \ Süd`, PublicRead: true}.withDefaults("https://ikz.example.org"), exampleFacts())
	var doc, want bytes.Buffer
	if err := writeJSONLD(&doc, g); err != nil {
		t.Fatal(err)
	}
	if err := writeNQuads(&want, g); err != nil {
		t.Fatal(err)
	}
	var parsed any
	if err := json.Unmarshal(doc.Bytes(), &parsed); err != nil {
		t.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.Format = "application/n-quads"
	got, err := ld.NewJsonLdProcessor().ToRDF(parsed, opts)
	if err != nil {
		t.Fatal(err)
	}
	lines := func(s string) []string {
		l := strings.Split(strings.TrimSpace(s), "\n")
		slices.Sort(l)
		return slices.Compact(l)
	}
	if g, w := lines(got.(string)), lines(want.String()); !slices.Equal(g, w) {
		t.Errorf("JSON-LD gives %d triples, the graph has %d", len(g), len(w))
	}
	if len(g.quads) != len(lines(want.String())) {
		t.Errorf("the graph states a triple twice: %d quads, %d distinct", len(g.quads), len(lines(want.String())))
	}
}

func TestCatalogGraph(t *testing.T) {
	g := build(Settings{PublicRead: true}.withDefaults("https://ikz.example.org"), exampleFacts())
	var ttl bytes.Buffer
	if err := writeTurtle(&ttl, g); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<https://ikz.example.org/api/v1/catalog#projects>\n    a dcat:Dataset ;",
		"dct:spatial <http://dcat-ap.de/def/politicalGeocoding/districtKey/05566> ,\n        <http://dcat-ap.de/def/politicalGeocoding/regionalKey/055150000000> ;",
		"dcatde:politicalGeocodingLevelURI <http://dcat-ap.de/def/politicalGeocoding/Level/administrativeDistrict> ;",
		"<https://ikz.example.org/api/v1/catalog#projects-period>\n    a dct:PeriodOfTime ;\n    dcat:startDate \"2015-01-01\"^^xsd:date ;\n    dcat:endDate \"2019-02-28\"^^xsd:date .",
		"<https://ikz.example.org/api/v1/catalog#cooperations-period>\n    a dct:PeriodOfTime ;\n    dcat:startDate \"2016-11-01\"^^xsd:date .",
		"dct:modified \"2026-11-30T08:15:00Z\"^^xsd:dateTime",
		"dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0>",
		"vcard:hasURL <https://ikz.example.org/>", // no contact e-mail: the web site
		"dct:accessRights access:PUBLIC",
	} {
		if !strings.Contains(ttl.String(), want) {
			t.Errorf("Turtle lacks\n%s", want)
		}
	}
	coops := ttl.String()[strings.Index(ttl.String(), "<https://ikz.example.org/api/v1/catalog#cooperations>\n"):]
	if coops = coops[:strings.Index(coops, "\n\n")]; strings.Contains(coops, "dct:spatial") || strings.Contains(coops, "politicalGeocodingLevelURI") {
		t.Errorf("cooperations whose members have no key name places:\n%s", coops)
	}
}

func TestTurtleEscapes(t *testing.T) {
	g := &graph{}
	g.text("https://ikz.example.org/a b", "http://purl.org/dc/terms/title", "Zitat \"x\"\\ neue\nZeile\ttab\x01 – ✓")
	g.add("https://ikz.example.org/a b", "http://purl.org/dc/terms/description", langString("Beschreibung", "de"))
	g.ref("https://ikz.example.org/a b", "http://www.w3.org/ns/dcat#theme", "http://publications.europa.eu/resource/authority/data-theme/GOVE")
	var b bytes.Buffer
	if err := writeTurtle(&b, g); err != nil {
		t.Fatal(err)
	}
	want := "\n<https://ikz.example.org/a\\u0020b>\n" +
		"    dct:title \"Zitat \\\"x\\\"\\\\ neue\\nZeile\\ttab\\u0001 – ✓\" ;\n" +
		"    dct:description \"Beschreibung\"@de ;\n" +
		"    dcat:theme theme:GOVE .\n"
	if got := b.String()[strings.Index(b.String(), "\n<"):]; got != want {
		t.Errorf("Turtle\n%s\nwant\n%s", got, want)
	}
}
