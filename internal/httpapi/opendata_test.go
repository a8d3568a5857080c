package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"
	"github.com/xuri/excelize/v2"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

// openSpec is a project with money and a start, for the open-data tests.
var openSpec = projectSpec{slug: "offen-1", category: "archiving", started: "2015-03",
	parts: [][2]string{{"citeq", "provider"}, {"stadt-koeln", "consumer"}}, budget: strp("1234.56"), cost: strp("99.99")}

var openSettings = opendata.Settings{PublicURL: "https://ikz.example.org/", PublisherName: "Stadt Münster",
	ContactEmail: "opendata@stadt-muenster.de", License: "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"}

var downloadName = regexp.MustCompile(`^attachment; filename="ikz-(partner|kooperationen|projekte)-\d{4}-\d{2}-\d{2}\.(csv|xlsx|json)"$`)

// Anonymous downloads of every collection in every format when reads are public: no
// money, named, with validators a harvester can send back to skip an unchanged file.
func TestOpenDataDownloads(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustProjects(t, "offen", openSpec)
		for _, coll := range []string{"partners", "cooperations", "projects"} {
			for _, format := range []string{"csv", "xlsx", "json"} {
				path := "/api/v1/exports/" + coll + "?format=" + format
				r := e.get(path, "")
				mustStatus(t, r, 200)
				if !downloadName.MatchString(r.Header.Get("Content-Disposition")) || !strings.HasSuffix(r.Header.Get("Content-Disposition"), "."+format+`"`) {
					t.Errorf("%s: Content-Disposition %q", path, r.Header.Get("Content-Disposition"))
				}
				if !strings.HasPrefix(r.Header.Get("ETag"), `W/"export-`) {
					t.Errorf("%s: ETag %q", path, r.Header.Get("ETag"))
				}
				if lm, err := http.ParseTime(r.Header.Get("Last-Modified")); err != nil || time.Since(lm) > time.Hour {
					t.Errorf("%s: Last-Modified %q", path, r.Header.Get("Last-Modified"))
				}
				if headers := exportHeaders(t, format, r.Body); slices.Contains(headers, "Budget geplant") || slices.Contains(headers, "finance") {
					t.Errorf("%s: anonymous download with finance: %v", path, headers)
				}
			}
		}

		// the JSON download holds the list's items, finance only for controlling
		for _, as := range []string{"", "reader", "controlling"} {
			list := e.get("/api/v1/projects?limit=500&tag=offen", as)
			mustStatus(t, list, 200)
			var l struct{ Items []any }
			var items []any
			if err := json.Unmarshal(list.Body, &l); err != nil {
				t.Fatal(err)
			}
			r := e.get("/api/v1/exports/projects?format=json&tag=offen", as)
			mustStatus(t, r, 200)
			if err := json.Unmarshal(r.Body, &items); err != nil {
				t.Fatalf("%q: JSON download: %v: %s", as, err, r.Body)
			}
			if !reflect.DeepEqual(items, l.Items) || len(items) != 1 {
				t.Errorf("%q: JSON download\n%s\nis not the list's items\n%s", as, r.Body, list.Body)
			}
			if got := bytes.Contains(r.Body, []byte(`"budget_planned":"1234.56"`)); got != (as == "controlling") {
				t.Errorf("%q: finance in the JSON download: %v", as, got)
			}
		}
		if r := e.get("/api/v1/exports/partners?format=json&type=federal_authority", ""); string(r.Body) != "[]\n" {
			t.Errorf("empty JSON download: %q", r.Body)
		}

		// validators: one per data version, query, format and finance
		path := "/api/v1/exports/projects?format=csv&tag=offen"
		first := e.get(path, "")
		tag, lastMod := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
		for _, other := range []resp{e.get(path, "controlling"), e.get(path+"&status=planned", ""), e.get("/api/v1/exports/projects?format=xlsx&tag=offen", "")} {
			if other.Header.Get("ETag") == tag {
				t.Errorf("two different files with the ETag %s", tag)
			}
		}
		if again := e.get(path, "reader"); again.Header.Get("ETag") != tag {
			t.Errorf("the same file for another reader without finance: %s, want %s", again.Header.Get("ETag"), tag)
		}
		for _, h := range []map[string]string{{"If-None-Match": tag}, {"If-Modified-Since": lastMod}, {"If-None-Match": `W/"x", ` + tag}} {
			r := e.do(http.MethodGet, path, req{headers: h})
			if r.Status != http.StatusNotModified || len(r.Body) != 0 || r.Header.Get("ETag") != tag {
				t.Errorf("%v: %d %q (ETag %s), want 304 without body", h, r.Status, r.Body, r.Header.Get("ETag"))
			}
		}
		// If-None-Match wins over If-Modified-Since
		if r := e.do(http.MethodGet, path, req{headers: map[string]string{"If-None-Match": `W/"alt"`, "If-Modified-Since": lastMod}}); r.Status != 200 {
			t.Errorf("stale If-None-Match with a current If-Modified-Since: %d", r.Status)
		}
		time.Sleep(1100 * time.Millisecond) // Last-Modified counts seconds
		e.mustProjects(t, "offen", projectSpec{slug: "offen-2", category: "network", parts: [][2]string{{"lwl", "consumer"}}})
		r := e.do(http.MethodGet, path, req{headers: map[string]string{"If-None-Match": tag}})
		mustStatus(t, r, 200)
		if r.Header.Get("ETag") == tag || !bytes.Contains(r.Body, []byte("offen-2")) {
			t.Errorf("after a write: ETag %s (was %s)", r.Header.Get("ETag"), tag)
		}
		if r := e.do(http.MethodGet, path, req{headers: map[string]string{"If-Modified-Since": lastMod}}); r.Status != 200 {
			t.Errorf("If-Modified-Since before the last write: %d", r.Status)
		}
	})
}

// exportHeaders returns a download's column headers (CSV, XLSX) or its first item's
// keys (JSON).
func exportHeaders(t *testing.T, format string, body []byte) []string {
	t.Helper()
	switch format {
	case "csv":
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF"))))
		r.Comma = ';'
		row, err := r.Read()
		if err != nil {
			t.Fatalf("CSV: %v", err)
		}
		return row
	case "xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("XLSX: %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil || len(rows) == 0 {
			t.Fatalf("XLSX rows: %v", err)
		}
		return rows[0]
	default:
		var items []map[string]any
		if err := json.Unmarshal(body, &items); err != nil || len(items) == 0 {
			t.Fatalf("JSON: %v: %s", err, body)
		}
		var keys []string
		for k := range items[0] {
			keys = append(keys, k)
		}
		return keys
	}
}

// With IKZ_PUBLIC_READ=false nothing of this is anonymous.
func TestOpenDataNotPublic(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: false, OpenData: openSettings}, func(t *testing.T, e *apiEnv) {
		for _, path := range []string{"/api/v1/exports/projects", "/api/v1/exports/partners?format=json",
			"/api/v1/exports/cooperations?format=xlsx", "/api/v1/catalog", "/api/v1/catalog?format=jsonld"} {
			mustStatus(t, e.get(path, ""), 401)
			mustStatus(t, e.get(path, "reader"), 200)
		}
		for _, path := range []string{"/api/v1/partners/citeq", "/api/v1/cooperations/it-kooperation-muenster-lwl", "/api/v1/projects/dips-kommunal"} {
			mustStatus(t, e.do(http.MethodGet, path, req{headers: map[string]string{"Accept": "application/ld+json"}}), 401)
			r := e.do(http.MethodGet, path, req{as: "reader", headers: map[string]string{"Accept": "application/ld+json"}})
			mustStatus(t, r, 200)
		}
		// the catalogue says the data needs a token
		r := e.get("/api/v1/catalog?format=jsonld", "reader")
		if g := mustGraph(t, r.Body); !g.has(catalogIRI+"#projects", dct+"accessRights", iri("http://publications.europa.eu/resource/authority/access-right/RESTRICTED")) {
			t.Errorf("catalogue of a closed directory does not say RESTRICTED")
		}
	})
}

const (
	catalogIRI = "https://ikz.example.org/api/v1/catalog"
	rdfType    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	dcat       = "http://www.w3.org/ns/dcat#"
	dct        = "http://purl.org/dc/terms/"
	schema     = "http://schema.org/"
	geocoding  = "http://dcat-ap.de/def/politicalGeocoding/"
)

// rdfGraph is a JSON-LD document's triples, as json-gold expands it.
type rdfGraph []*ld.Quad

// mustGraph reads a JSON-LD document into its triples with json-gold (JSON-LD 1.1
// toRdf), loading nothing from the network.
func mustGraph(t *testing.T, body []byte) rdfGraph {
	t.Helper()
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("JSON-LD: %v: %.300s", err, body)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offlineLoader{}
	ds, err := ld.NewJsonLdProcessor().ToRDF(doc, opts)
	if err != nil {
		t.Fatalf("JSON-LD to RDF: %v", err)
	}
	return ds.(*ld.RDFDataset).GetQuads("@default")
}

type offlineLoader struct{}

func (offlineLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "no network: "+u)
}

// node terms for has: an IRI, a plain or typed literal, or nil for any object.
func iri(s string) ld.Node { return ld.NewIRI(s) }
func lit(s string) ld.Node { return ld.NewLiteral(s, ld.XSDString, "") }

// has reports whether the graph holds subject predicate object (object nil: any).
func (g rdfGraph) has(s, p string, o ld.Node) bool {
	return len(g.objects(s, p, o)) > 0
}

// objects returns the objects of subject and predicate (those equal to o if given);
// subject "" matches any subject.
func (g rdfGraph) objects(s, p string, o ld.Node) []ld.Node {
	var out []ld.Node
	for _, q := range g {
		if (s == "" || q.Subject.GetValue() == s) && q.Predicate.GetValue() == p && (o == nil || sameTerm(q.Object, o)) {
			out = append(out, q.Object)
		}
	}
	return out
}

func sameTerm(a, b ld.Node) bool {
	la, aLit := a.(ld.Literal)
	lb, bLit := b.(ld.Literal)
	if aLit != bLit {
		return false
	}
	if aLit {
		return la.Value == lb.Value && la.Datatype == lb.Datatype && la.Language == lb.Language
	}
	return a.GetValue() == b.GetValue()
}

// The catalogue: DCAT-AP.de in Turtle (default) or JSON-LD by Accept or format, with
// the operator's publisher, contact and licence, places and periods from the data,
// and validators that change with every write.
func TestCatalog(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: true, OpenData: openSettings}, func(t *testing.T, e *apiEnv) {
		e.mustProjects(t, "offen", openSpec)
		ttl := e.get("/api/v1/catalog", "")
		mustStatus(t, ttl, 200)
		if ct := ttl.Header.Get("Content-Type"); ct != "text/turtle; charset=utf-8" || !slices.Contains(ttl.Header.Values("Vary"), "Accept") {
			t.Errorf("default: Content-Type %q, Vary %v", ct, ttl.Header.Values("Vary"))
		}
		if !bytes.Contains(ttl.Body, []byte("<"+catalogIRI+">\n    a dcat:Catalog ;")) {
			t.Errorf("Turtle without the catalogue: %.500s", ttl.Body)
		}
		if r := e.get("/api/v1/catalog?format=ttl", ""); !bytes.Equal(r.Body, ttl.Body) {
			t.Errorf("?format=ttl differs from the default")
		}
		jl := e.do(http.MethodGet, "/api/v1/catalog", req{headers: map[string]string{"Accept": "text/html;q=0.9, application/ld+json"}})
		mustStatus(t, jl, 200)
		if ct := jl.Header.Get("Content-Type"); ct != "application/ld+json" {
			t.Errorf("Accept: application/ld+json: Content-Type %q", ct)
		}
		if r := e.get("/api/v1/catalog?format=jsonld", ""); !bytes.Equal(r.Body, jl.Body) {
			t.Errorf("?format=jsonld differs from Accept: application/ld+json")
		}

		g := mustGraph(t, jl.Body)
		publisher := "https://ikz.example.org/#publisher"
		license := iri(openSettings.License)
		for _, want := range []struct {
			s, p string
			o    ld.Node
		}{
			{catalogIRI, rdfType, iri(dcat + "Catalog")},
			{catalogIRI, dct + "publisher", iri(publisher)},
			{publisher, "http://xmlns.com/foaf/0.1/name", lit("Stadt Münster")},
			{catalogIRI, dct + "license", license},
			{catalogIRI, dcat + "service", iri(catalogIRI + "#api")},
			{catalogIRI + "#api", rdfType, iri(dcat + "DataService")},
			{catalogIRI + "#api", dcat + "endpointDescription", iri("https://ikz.example.org/openapi.json")},
			{catalogIRI + "#contact", "http://www.w3.org/2006/vcard/ns#hasEmail", iri("mailto:opendata@stadt-muenster.de")},
			{catalogIRI + "#partners-csv", dcat + "downloadURL", iri("https://ikz.example.org/api/v1/exports/partners?format=csv")},
			{catalogIRI + "#projects-api", dcat + "accessService", iri(catalogIRI + "#api")},
			{catalogIRI + "#projects", dct + "title", ld.NewLiteral("Vorhaben interkommunaler IT-Kooperationen", ld.RDFLangString, "de")},
			{catalogIRI + "#projects", dct + "title", ld.NewLiteral("Projects of inter-municipal IT cooperations", ld.RDFLangString, "en")},
			{catalogIRI + "#projects", dcat + "theme", iri("http://publications.europa.eu/resource/authority/data-theme/GOVE")},
			{catalogIRI + "#projects", dct + "accessRights", iri("http://publications.europa.eu/resource/authority/access-right/PUBLIC")},
			{catalogIRI + "#partners", dct + "spatial", iri(geocoding + "regionalKey/055150000000")},
			{catalogIRI + "#partners", dct + "spatial", iri(geocoding + "municipalityKey/05315000")},
			{catalogIRI + "#partners", "http://dcat-ap.de/def/dcatde/politicalGeocodingLevelURI", iri(geocoding + "Level/municipality")},
			{catalogIRI + "#projects", dct + "spatial", iri(geocoding + "municipalityKey/05315000")},
			{catalogIRI + "#projects", dct + "temporal", iri(catalogIRI + "#projects-period")},
			{catalogIRI + "#projects-period", dcat + "startDate", ld.NewLiteral("2015-03-01", "http://www.w3.org/2001/XMLSchema#date", "")},
			{catalogIRI + "#cooperations-period", dcat + "startDate", ld.NewLiteral("2016-11-01", "http://www.w3.org/2001/XMLSchema#date", "")},
		} {
			if !g.has(want.s, want.p, want.o) {
				t.Errorf("catalogue lacks %s %s %s", want.s, want.p, want.o.GetValue())
			}
		}
		if n := len(g.objects("", rdfType, iri(dcat+"Dataset"))); n != 3 {
			t.Errorf("%d datasets, want 3 (partners, cooperations, projects)", n)
		}
		dists := g.objects("", rdfType, iri(dcat+"Distribution"))
		if len(dists) != 12 || len(g.objects("", dct+"license", license)) != 12+2 {
			t.Errorf("%d distributions, %d licences, want 12 and 14 (each distribution, the catalogue, the API)", len(dists), len(g.objects("", dct+"license", license)))
		}
		modified := g.objects(catalogIRI, dct+"modified", nil)
		if len(modified) != 1 {
			t.Fatalf("dct:modified: %v", modified)
		}

		// validators: the data version; a write changes the catalogue
		tag := jl.Header.Get("ETag")
		if tag == ttl.Header.Get("ETag") || !strings.HasPrefix(tag, `W/"catalog-`) || jl.Header.Get("Last-Modified") == "" {
			t.Errorf("ETags %s (JSON-LD), %s (Turtle), Last-Modified %q", tag, ttl.Header.Get("ETag"), jl.Header.Get("Last-Modified"))
		}
		r := e.do(http.MethodGet, "/api/v1/catalog?format=jsonld", req{headers: map[string]string{"If-None-Match": tag}})
		if r.Status != http.StatusNotModified {
			t.Errorf("If-None-Match of the current catalogue: %d", r.Status)
		}
		time.Sleep(1100 * time.Millisecond)
		e.mustProjects(t, "offen", projectSpec{slug: "offen-2", category: "network", started: "2012", parts: [][2]string{{"lwl", "consumer"}}})
		r = e.do(http.MethodGet, "/api/v1/catalog?format=jsonld", req{headers: map[string]string{"If-None-Match": tag}})
		mustStatus(t, r, 200)
		g2 := mustGraph(t, r.Body)
		if r.Header.Get("ETag") == tag || sameTerm(g2.objects(catalogIRI, dct+"modified", nil)[0], modified[0]) {
			t.Errorf("after a write: ETag %s, dct:modified %v (before %s, %v)", r.Header.Get("ETag"), g2.objects(catalogIRI, dct+"modified", nil), tag, modified)
		}
		if !g2.has(catalogIRI+"#projects-period", dcat+"startDate", ld.NewLiteral("2012-01-01", "http://www.w3.org/2001/XMLSchema#date", "")) {
			t.Errorf("the period does not follow the new project's start")
		}

		for _, bad := range []string{"format=xml", "format=TTL", "colour=red"} {
			mustStatus(t, e.getInvalid("/api/v1/catalog?"+bad, ""), 400)
		}
	})
}

// Each resource as schema.org JSON-LD for Accept: application/ld+json, its @id the
// slug-based URI under IKZ_PUBLIC_URL, expanded by a JSON-LD processor into the triples
// a search engine or a linked-data client reads.
func TestLinkedData(t *testing.T) {
	forEachAPIWith(t, httpapi.Options{PublicRead: true, OpenData: openSettings}, func(t *testing.T, e *apiEnv) {
		e.mustProjects(t, "offen", openSpec)
		accept := map[string]string{"Accept": "application/ld+json"}
		base := "https://ikz.example.org/api/v1/"
		getLD := func(path, as string) (resp, rdfGraph) {
			t.Helper()
			r := e.do(http.MethodGet, path, req{as: as, headers: accept})
			mustStatus(t, r, 200)
			if ct := r.Header.Get("Content-Type"); ct != "application/ld+json" || !slices.Contains(r.Header.Values("Vary"), "Accept") {
				t.Errorf("%s: Content-Type %q, Vary %v", path, ct, r.Header.Values("Vary"))
			}
			return r, mustGraph(t, r.Body)
		}
		// one node with the given predicate values (a PropertyValue, a role)
		nodeWith := func(g rdfGraph, subject, p string, pairs ...[2]string) bool {
			for _, n := range g.objects(subject, p, nil) {
				ok := true
				for _, pv := range pairs {
					ok = ok && (g.has(n.GetValue(), schema+pv[0], lit(pv[1])) || g.has(n.GetValue(), schema+pv[0], iri(pv[1])))
				}
				if ok {
					return true
				}
			}
			return false
		}

		muenster := base + "partners/stadt-muenster"
		r, g := getLD("/api/v1/partners/stadt-muenster", "")
		if !g.has(muenster, rdfType, iri(schema+"GovernmentOrganization")) || !g.has(muenster, schema+"name", lit("Stadt Münster")) ||
			!nodeWith(g, muenster, schema+"identifier", [2]string{"propertyID", "AGS"}, [2]string{"value", "05515000"}) ||
			!nodeWith(g, muenster, schema+"identifier", [2]string{"propertyID", "ARS"}, [2]string{"value", "055150000000"}) ||
			!g.has(muenster, schema+"areaServed", iri(geocoding+"regionalKey/055150000000")) {
			t.Errorf("Stadt Münster as JSON-LD: %s", r.Body)
		}
		plain := e.get("/api/v1/partners/stadt-muenster", "")
		if plain.Header.Get("Content-Type") != "application/json" || plain.Header.Get("ETag") == r.Header.Get("ETag") {
			t.Errorf("JSON and JSON-LD: %q, ETags %s and %s", plain.Header.Get("Content-Type"), plain.Header.Get("ETag"), r.Header.Get("ETag"))
		}
		if rr := e.do(http.MethodGet, "/api/v1/partners/stadt-muenster", req{headers: map[string]string{"If-None-Match": r.Header.Get("ETag"), "Accept": "application/ld+json"}}); rr.Status != 304 {
			t.Errorf("If-None-Match of the JSON-LD: %d", rr.Status)
		}
		if rr := e.do(http.MethodGet, "/api/v1/partners/stadt-muenster", req{headers: map[string]string{"Accept": "application/json, application/ld+json;q=0.5"}}); rr.Header.Get("Content-Type") != "application/json" {
			t.Errorf("JSON preferred: %q", rr.Header.Get("Content-Type"))
		}

		citeq := base + "partners/citeq"
		var id struct{ ID string }
		_ = json.Unmarshal(e.get("/api/v1/partners/citeq", "").Body, &id)
		if _, g := getLD("/api/v1/partners/"+id.ID, ""); !g.has(citeq, rdfType, iri(schema+"Organization")) ||
			!g.has(citeq, schema+"parentOrganization", iri(muenster)) || !g.has(muenster, schema+"name", lit("Stadt Münster")) {
			t.Errorf("citeq by its id: not the Organization under Stadt Münster at its slug's URI")
		}

		coopIRI := base + "cooperations/it-kooperation-muenster-lwl"
		if _, g := getLD("/api/v1/cooperations/it-kooperation-muenster-lwl", ""); !g.has(coopIRI, rdfType, iri(schema+"Organization")) ||
			!g.has(coopIRI, schema+"foundingDate", lit("2016-11")) ||
			!nodeWith(g, coopIRI, schema+"member", [2]string{"member", base + "partners/lwl"}) ||
			!nodeWith(g, coopIRI, schema+"member", [2]string{"member", citeq}, [2]string{"roleName", "Umsetzende Stelle"}) {
			t.Errorf("cooperation as JSON-LD: %d triples", len(g))
		}

		project := base + "projects/offen-1"
		r, g = getLD("/api/v1/projects/offen-1", "controlling")
		if !g.has(project, rdfType, iri(schema+"Project")) || !g.has(project, schema+"name", lit("Vorhaben OFFEN-1")) ||
			!g.has(project, schema+"foundingDate", lit("2015-03")) || !g.has(project, schema+"parentOrganization", iri(coopIRI)) ||
			!g.has(project, schema+"keywords", lit("offen")) ||
			!nodeWith(g, project, schema+"member", [2]string{"member", citeq}, [2]string{"roleName", "Leistungserbringer"}) ||
			!nodeWith(g, project, schema+"member", [2]string{"member", base + "partners/stadt-koeln"}, [2]string{"roleName", "Leistungsnehmer"}) {
			t.Errorf("project as JSON-LD: %s", r.Body)
		}
		if bytes.Contains(r.Body, []byte("1234")) {
			t.Errorf("finance in the project's JSON-LD for controlling: %s", r.Body)
		}
	})
}

// Without IKZ_PUBLIC_URL the URIs follow the request (its host, and https behind a
// proxy that says so); no client's host ends up in another client's catalogue.
func TestOpenDataBaseFromRequest(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for _, tc := range []struct {
			host, proto, want string
		}{
			{"ikz.intern:8080", "", "http://ikz.intern:8080"},
			{"ikz.example.org", "https", "https://ikz.example.org"},
			{"ikz.intern:8080", "", "http://ikz.intern:8080"},
		} {
			h := map[string]string{"Host": tc.host, "X-Forwarded-Proto": tc.proto}
			r := e.do(http.MethodGet, "/api/v1/catalog?format=jsonld", req{headers: h})
			mustStatus(t, r, 200)
			if g := mustGraph(t, r.Body); !g.has(tc.want+"/api/v1/catalog", rdfType, iri(dcat+"Catalog")) ||
				!g.has(tc.want+"/api/v1/catalog#partners-json", dcat+"downloadURL", iri(tc.want+"/api/v1/exports/partners?format=json")) {
				t.Errorf("Host %s, X-Forwarded-Proto %q: the catalogue is not under %s", tc.host, tc.proto, tc.want)
			}
			h["Accept"] = "application/ld+json"
			r = e.do(http.MethodGet, "/api/v1/projects/dips-kommunal", req{headers: h})
			var doc struct {
				ID string `json:"@id"`
			}
			if err := json.Unmarshal(r.Body, &doc); err != nil || doc.ID != tc.want+"/api/v1/projects/dips-kommunal" {
				t.Errorf("Host %s: @id %q", tc.host, doc.ID)
			}
		}
	})
}
