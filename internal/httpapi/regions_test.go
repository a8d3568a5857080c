package httpapi_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// regionPage is a page of /regions as a client decodes it.
type regionPage struct {
	Items []struct {
		ARS, Key, Name, Level, Kind, State string
		AGS                                *string
		KindLabelDE                        string   `json:"kind_label_de"`
		Population                         int64    `json:"population"`
		AreaKm2                            float64  `json:"area_km2"`
		PostalCode                         *string  `json:"postal_code"`
		Latitude                           *float64 `json:"latitude"`
		Href                               string
	}
	Total      int
	NextCursor *string `json:"next_cursor"`
	Source     struct {
		Name, Licence, Attribution string
		AsOf                       string `json:"as_of"`
	}
}

func decodeRegions(t *testing.T, r resp) regionPage {
	t.Helper()
	mustStatus(t, r, 200)
	var p regionPage
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Source.Licence != "dl-de/by-2-0" || !strings.Contains(p.Source.Attribution, "Destatis") || p.Source.AsOf == "" {
		t.Errorf("source: %+v", p.Source)
	}
	return p
}

func (p regionPage) keys() []string {
	var out []string
	for _, x := range p.Items {
		out = append(out, x.Key)
	}
	return out
}

// The register is public, searchable by name with German folding and by key prefix,
// and names its source with the attribution its licence requires.
func TestRegionSearch(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for _, q := range []string{"Munster", "Muenster", "M%C3%BCnster", "MUENSTER"} {
			p := decodeRegions(t, e.get("/api/v1/regions?level=municipality&q="+q, ""))
			if len(p.Items) == 0 || p.Items[0].ARS != "055150000000" {
				t.Fatalf("q=%s: %+v", q, p.Items)
			}
			m := p.Items[0]
			if m.Name != "Münster, Stadt" || m.AGS == nil || *m.AGS != "05515000" || m.Population != 315_293 || m.AreaKm2 != 303.28 ||
				m.Kind != "independent_city" || m.KindLabelDE != "Kreisfreie Stadt" || m.State != "DE-NW" ||
				m.PostalCode == nil || *m.PostalCode != "48127" || m.Latitude == nil || m.Href != "/api/v1/regions/055150000000" {
				t.Errorf("q=%s: Münster %+v", q, m)
			}
		}
		// A key prefix finds the district and the municipality Münster, and the
		// association between them.
		p := decodeRegions(t, e.get("/api/v1/regions?q=05515", ""))
		if p.Total != 3 || !slices.Contains(p.keys(), "05515") || !slices.Contains(p.keys(), "055150000000") {
			t.Errorf("q=05515: %d %v", p.Total, p.keys())
		}
		p = decodeRegions(t, e.get("/api/v1/regions?ars=055&level=district&sort=ars", ""))
		if want := []string{"05512", "05513", "05515", "05554", "05558", "05562", "05566", "05570"}; !slices.Equal(p.keys(), want) {
			t.Errorf("districts of Reg.-Bez. Münster: %v", p.keys())
		}
		for level, n := range map[string]int{"state": 16, "government_region": 29, "district": 401, "municipality": 11004} {
			if p := decodeRegions(t, e.get("/api/v1/regions?limit=1&level="+level, "")); p.Total != n {
				t.Errorf("level=%s: %d, want %d", level, p.Total, n)
			}
		}
		p = decodeRegions(t, e.get("/api/v1/regions?level=district&state=DE-NW&kind=independent_city", ""))
		if p.Total != 22 {
			t.Errorf("kreisfreie Städte in NRW: %d", p.Total)
		}
		p = decodeRegions(t, e.get("/api/v1/regions?level=municipality&sort=-population&limit=3", ""))
		if len(p.Items) != 3 || p.Items[0].Name != "Berlin, Stadt" || p.NextCursor == nil {
			t.Errorf("largest municipalities: %+v", p.Items)
		}
		// Paging: the Link header leads to the next page, which continues the order.
		r := e.get("/api/v1/regions?ags=05515,05570&limit=2&sort=ars", "")
		first := decodeRegions(t, r)
		link := r.Header.Get("Link")
		if first.NextCursor == nil || !strings.Contains(link, `rel="next"`) {
			t.Fatalf("first page: %v, Link %q", first.NextCursor, link)
		}
		next := decodeRegions(t, e.get("/api/v1/regions?ags=05515,05570&limit=2&sort=ars&cursor="+*first.NextCursor, ""))
		if all := append(first.keys(), next.keys()...); len(all) < 3 || !slices.IsSorted(all) || all[0] != "05515" {
			t.Errorf("pages: %v then %v", first.keys(), next.keys())
		}
		mustStatus(t, e.do("GET", "/api/v1/regions?q=05515", req{headers: map[string]string{"If-None-Match": r.Header.Get("ETag")}}), 200)
		r = e.get("/api/v1/regions?q=05515", "")
		mustStatus(t, e.do("GET", "/api/v1/regions?q=05515", req{headers: map[string]string{"If-None-Match": r.Header.Get("ETag")}}), 304)

		for _, bad := range []string{"level=planet", "kind=castle", "state=DE-XX", "ars=05a", "ags=123456789", "sort=relevance",
			"sort=area", "limit=501", "cursor=xyz", "q=", "q=---", "foo=1", "ars=" + strings.Repeat("0,", 101) + "0"} {
			mustStatus(t, e.getInvalid("/api/v1/regions?"+bad, ""), 400)
		}
	})
}

func TestRegionGet(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		var d struct {
			Key, Name, Level string
			Population       int64
			Parents          []struct{ Key, Level, Href string }
			ChildrenCount    int `json:"children_count"`
			Source           struct{ Attribution string }
		}
		get := func(path string) {
			t.Helper()
			r := e.get(path, "")
			mustStatus(t, r, 200)
			d.Parents = nil
			if err := json.Unmarshal(r.Body, &d); err != nil {
				t.Fatal(err)
			}
		}
		get("/api/v1/regions/055150000000")
		var chain []string
		for _, p := range d.Parents {
			chain = append(chain, p.Key+":"+p.Level)
		}
		if d.Level != "municipality" || d.Population != 315_293 || d.Source.Attribution == "" ||
			!slices.Equal(chain, []string{"055150000:association", "05515:district", "055:government_region", "05:state"}) ||
			d.Parents[1].Href != "/api/v1/regions/05515" {
			t.Errorf("Münster: %+v", d)
		}
		get("/api/v1/regions/055150000000?level=district")
		if d.Key != "05515" || d.Level != "district" {
			t.Errorf("Münster as district: %+v", d)
		}
		get("/api/v1/regions/055")
		if d.Name != "Reg.-Bez. Münster" || d.ChildrenCount != 8 || len(d.Parents) != 1 {
			t.Errorf("Reg.-Bez. Münster: %+v", d)
		}
		p := decodeRegions(t, e.get("/api/v1/regions/05/children?sort=ars", ""))
		if !slices.Equal(p.keys(), []string{"051", "053", "055", "057", "059"}) {
			t.Errorf("children of NRW: %v", p.keys())
		}
		p = decodeRegions(t, e.get("/api/v1/regions/055/children?kind=independent_city&sort=ars", ""))
		if !slices.Equal(p.keys(), []string{"05512", "05513", "05515"}) {
			t.Errorf("kreisfreie Städte in Reg.-Bez. Münster: %v", p.keys())
		}
		mustStatus(t, e.get("/api/v1/regions/055159999999", ""), 404)
		mustStatus(t, e.get("/api/v1/regions/05515?level=state", ""), 404)
		mustStatus(t, e.get("/api/v1/regions/99", ""), 404)
		for _, bad := range []string{"0551500", "x5", "055150000000?level=planet", "055150000000?foo=1", "05/children?level=planet"} {
			mustStatus(t, e.getInvalid("/api/v1/regions/"+bad, ""), 400)
		}
	})
}
