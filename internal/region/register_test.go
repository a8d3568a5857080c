package region_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

func mustEmbedded(tb testing.TB) *region.Register {
	tb.Helper()
	reg, err := region.Embedded()
	if err != nil {
		tb.Fatal(err)
	}
	return reg
}

func mustGet(t *testing.T, reg *region.Register, key string) region.Region {
	t.Helper()
	x, ok := reg.Get(key)
	if !ok {
		t.Fatalf("region %s not found", key)
	}
	return x
}

func keys(list []region.Region) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = x.Key
	}
	return out
}

// The counts and spot checks the register's README gives.
func TestEmbeddedRegister(t *testing.T) {
	reg := mustEmbedded(t)
	counts := map[string]int{}
	var people int64
	page, err := reg.Find(region.Query{Limit: 500, Levels: []string{region.State}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range page.Items {
		people += s.Population
	}
	for _, level := range coop.RegionLevels.Codes() {
		p, err := reg.Find(region.Query{Levels: []string{level}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		counts[level] = p.Total
	}
	want := map[string]int{"state": 16, "government_region": 29, "region": 12, "district": 401, "association": 4606, "municipality": 11004}
	for l, n := range want {
		if counts[l] != n {
			t.Errorf("%s: %d, want %d", l, counts[l], n)
		}
	}
	if people != 83_166_711 {
		t.Errorf("population of the states: %d, want 83,166,711", people)
	}

	m := mustGet(t, reg, "055150000000")
	if m.Level != region.Municipality || m.Name != "Münster, Stadt" || m.Population != 315_293 || m.AreaHa != 30_328 ||
		m.AGS() != "05515000" || m.ARS() != "055150000000" || m.Kind != "independent_city" || m.State() != "DE-NW" ||
		m.PostalCode != "48127" || m.Latitude < 51.9 || m.Latitude > 52 || m.Longitude < 7.6 || m.Longitude > 7.7 {
		t.Errorf("Münster: %+v (AGS %s, state %s)", m, m.AGS(), m.State())
	}
	if got := keys(reg.Parents(m)); !slices.Equal(got, []string{"055150000", "05515", "055", "05"}) {
		t.Errorf("parents of Münster: %v", got)
	}
	d := mustGet(t, reg, "05515")
	if d.Level != region.District || d.Population != 315_293 || d.ARS() != "055150000000" || d.AGS() != "05515000" {
		t.Errorf("district Münster: %+v", d)
	}
	if x := mustGet(t, reg, "055"); x.Level != region.GovernmentRegion || x.Name != "Reg.-Bez. Münster" || reg.ChildCount(x) != 8 {
		t.Errorf("Reg.-Bez. Münster: %+v, %d children", x, reg.ChildCount(x))
	}
	if x := mustGet(t, reg, "08111000000"+"0"); x.Name != "Stuttgart, Landeshauptstadt" || x.Population != 635_911 {
		t.Errorf("Stuttgart: %+v", x)
	}
	if x := mustGet(t, reg, "0811"); x.Level != region.RegionLevel || x.Name != "Region Stuttgart" {
		t.Errorf("Region Stuttgart: %+v", x)
	}
	if got := keys(reg.Parents(mustGet(t, reg, "08111"))); !slices.Equal(got, []string{"0811", "081", "08"}) {
		t.Errorf("parents of Stuttgart's district: %v", got)
	}
	// A kreisfreie Stadt and a city state: one ARS for several levels.
	if x, _ := reg.ResolveAGS("05515000", region.District); x.Key != "05515" {
		t.Errorf("AGS 05515000 as district: %+v", x)
	}
	if x, _ := reg.ResolveAGS("05515000", ""); x.Key != "055150000000" {
		t.Errorf("AGS 05515000: %+v", x)
	}
	if x, _ := reg.ResolveARS("020000000000", region.State); x.Key != "02" || x.Population != 1_847_253 {
		t.Errorf("Hamburg as state: %+v", x)
	}
	if x, _ := reg.ResolveARS("055700000000", ""); x.Key != "05570" {
		t.Errorf("ARS of Kreis Warendorf: %+v", x)
	}
	if _, ok := reg.ResolveARS("055700000000", region.Municipality); ok {
		t.Error("Kreis Warendorf's ARS resolved as a municipality")
	}
	for _, bad := range []string{"055150000001", "05515001", "x", "", "0551500000000"} {
		if x, ok := reg.Get(bad); ok {
			t.Errorf("Get(%q) = %+v", bad, x)
		}
	}
}

func TestFind(t *testing.T) {
	reg := mustEmbedded(t)
	first := func(q region.Query) region.Region {
		t.Helper()
		p, err := reg.Find(q)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) == 0 {
			t.Fatalf("%+v: nothing found", q)
		}
		return p.Items[0]
	}
	for _, q := range []string{"Münster", "Munster", "Muenster", "MÜNSTER", "münster stadt"} {
		if x := first(region.Query{Q: q, Levels: []string{region.Municipality}}); x.Key != "055150000000" {
			t.Errorf("%s: first municipality %s %s", q, x.Key, x.Name)
		}
	}
	if x := first(region.Query{Q: "Muenster", Levels: []string{region.GovernmentRegion}}); x.Key != "055" {
		t.Errorf("government region Münster: %s %s", x.Key, x.Name)
	}
	p, _ := reg.Find(region.Query{Q: "Münst", Levels: []string{region.Municipality}, Limit: 500})
	names := map[string]bool{}
	for _, x := range p.Items {
		names[x.Name] = true
	}
	if !names["Münster, Stadt"] || !names["Münsterdorf"] || names["Neumünster, Stadt"] {
		t.Errorf("Münst: %v", names)
	}
	p, _ = reg.Find(region.Query{Q: "05515"})
	if got := keys(p.Items); p.Total != 3 || !slices.Contains(got, "05515") || !slices.Contains(got, "055150000000") {
		t.Errorf("05515: %v", got)
	}
	p, _ = reg.Find(region.Query{ARS: []string{"055"}, Levels: []string{region.District}, Sort: []coop.SortKey{{Field: "ars"}}})
	if got := keys(p.Items); !slices.Equal(got, []string{"05512", "05513", "05515", "05554", "05558", "05562", "05566", "05570"}) {
		t.Errorf("districts in Reg.-Bez. Münster: %v", got)
	}
	p, _ = reg.Find(region.Query{AGS: []string{"05515"}, Levels: []string{region.Municipality, region.District}})
	if p.Total != 2 {
		t.Errorf("AGS 05515: %d", p.Total)
	}
	p, _ = reg.Find(region.Query{Kinds: []string{"independent_city"}, States: []string{"DE-NW"}, Levels: []string{region.District}})
	if p.Total != 22 {
		t.Errorf("kreisfreie Städte in NRW: %d, want 22", p.Total)
	}
	p, _ = reg.Find(region.Query{Parent: "05"})
	if got := keys(p.Items); !slices.Equal(sorted(got), []string{"051", "053", "055", "057", "059"}) {
		t.Errorf("children of NRW: %v", got)
	}
	for _, bad := range []region.Query{{Limit: 501}, {Sort: []coop.SortKey{{Field: "relevance"}}}, {Sort: []coop.SortKey{{Field: "x"}}},
		{Cursor: "nonsense"}, {Levels: []string{"planet"}}, {ARS: []string{"05a"}}, {Q: "---"}} {
		if _, err := reg.Find(bad); coop.ErrorCode(err) != coop.EInvalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

// Walking a list page by page gives the one-page order, under every sort.
func TestFindPaging(t *testing.T) {
	reg := mustEmbedded(t)
	for _, sort := range [][]coop.SortKey{nil, {{Field: "population", Desc: true}}, {{Field: "ars", Desc: true}, {Field: "name"}}} {
		q := region.Query{States: []string{"DE-NW"}, Levels: []string{region.District, region.Municipality}, Sort: sort, Limit: 500}
		all, err := reg.Find(q)
		if err != nil {
			t.Fatal(err)
		}
		var walked []string
		q.Limit = 7
		for {
			p, err := reg.Find(q)
			if err != nil {
				t.Fatal(err)
			}
			walked = append(walked, keys(p.Items)...)
			if p.NextCursor == "" {
				break
			}
			q.Cursor = p.NextCursor
		}
		if !slices.Equal(walked, keys(all.Items)) || all.Total != 53+396 {
			t.Errorf("sort %v: %d walked, %d in one page (total %d)", sort, len(walked), len(all.Items), all.Total)
		}
	}
	p, _ := reg.Find(region.Query{Q: "Münster", Limit: 1})
	if _, err := reg.Find(region.Query{Q: "Münster", Cursor: p.NextCursor, Sort: []coop.SortKey{{Field: "name"}}}); coop.ErrorCode(err) != coop.EInvalid {
		t.Errorf("cursor of another sort: %v", err)
	}
}

func TestOutermost(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"05515", "055150000000"}, []string{"05515"}},
		{[]string{"055150000000", "05515", "055150000000"}, []string{"05515"}},
		{[]string{"055", "057", "059", "055150000000", "053150000000"}, []string{"055", "057", "059", "053150000000"}},
		{[]string{"05", "055"}, []string{"05"}},
		{[]string{"02", "020000000000"}, []string{"02"}},
		{[]string{"055700004004", "05570", "055700004"}, []string{"05570"}},
		{nil, []string{}},
	} {
		if got := region.Outermost(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Outermost(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestNearestAndNames(t *testing.T) {
	reg := mustEmbedded(t)
	if got := keys(reg.Nearest("05515001", region.Municipality, 3)); len(got) != 3 || got[0] != "055150000000" {
		t.Errorf("nearest to AGS 05515001: %v", got)
	}
	if got := keys(reg.Nearest("055159999999", "", 1)); len(got) != 1 || !strings.HasPrefix(got[0], "05515") {
		t.Errorf("nearest to ARS 055159999999: %v", got)
	}
	for key, want := range map[string]string{
		"055150000000": "Stadt Münster", "05515": "Stadt Münster", "05570": "Kreis Warendorf",
		"03151": "Landkreis Gifhorn", "03241": "Region Hannover", "05": "Land Nordrhein-Westfalen",
		"09": "Freistaat Bayern", "11": "Berlin", "091710133133": "Markt Tüßling",
	} {
		if got := region.PartnerName(mustGet(t, reg, key)); got != want {
			t.Errorf("PartnerName(%s) = %q, want %q", key, got, want)
		}
	}
	for in, want := range map[string]string{"Stadt Münster": "stadt-muenster", "Kreis Warendorf": "kreis-warendorf",
		"Große Kreisstadt Weißenburg i.Bay.": "grosse-kreisstadt-weissenburg-i-bay", " Élan -- x ": "elan-x"} {
		if got := region.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	head := "satzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,postleitzahl,laengengrad,breitengrad\n"
	for name, c := range map[string]struct{ csv, want string }{
		"column":   {"satzart,land\n10,01\n", `column "textkennzeichen" missing`},
		"key":      {head + "10,,1,,,,,Schleswig-Holstein,,,,,\n", "line 2: land"},
		"kind":     {head + "10,,01,,,,,SH,,,,,\n40,49,01,0,01,,,X,,,,,\n", "line 3: unknown textkennzeichen"},
		"number":   {head + "10,,01,,,,,SH,,,,,\n60,64,01,0,01,0000,000,X,1.234,12x,,,\n", "line 3: bevoelkerung"},
		"orphan":   {head + "10,,01,,,,,SH,,,,,\n60,64,02,0,01,0000,000,X,1.2,12,,,\n", "lies in no state"},
		"twice":    {head + "10,,01,,,,,SH,,,,,\n10,,01,,,,,SH,,,,,\n", "line 3: key 01 appears twice"},
		"no state": {head, "no state"},
	} {
		_, err := region.Parse(strings.NewReader(c.csv), region.Source{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

// A register knows the digest of its CSV: the one its extract is stored under.
func TestRegisterDigest(t *testing.T) {
	if reg := mustEmbedded(t); reg.Digest != region.EmbeddedDigest() || len(reg.Digest) != 64 {
		t.Errorf("digest %q, the embedded extract's %q", reg.Digest, region.EmbeddedDigest())
	}
	csv := "\uFEFFsatzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,postleitzahl,laengengrad,breitengrad\n10,,01,,,,,SH,,,,,\n"
	reg, err := region.Parse(strings.NewReader(csv), region.Source{})
	if err != nil || reg.Digest != region.Digest([]byte(csv)) {
		t.Errorf("digest %q, want %q (%v)", reg.Digest, region.Digest([]byte(csv)), err)
	}
}
