package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// stdJSON is what encoding/json gives v the way answers were always encoded (HTML
// escaping off, newline-terminated): the reference the hand-written writer must match.
func stdJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// ownJSON is what encodeBody writes for a jsonAppender (copied out of the pool).
func ownJSON(a jsonAppender) ([]byte, error) {
	buf, err := encodeBody(a)
	if err != nil {
		return nil, err
	}
	defer releaseBuffer(buf)
	return bytes.Clone(buf.b), nil
}

// sameJSON fails unless both encodings give the same bytes, or both fail.
func sameJSON(t testing.TB, what string, want []byte, wantErr error, got []byte, gotErr error) {
	t.Helper()
	if (wantErr != nil) != (gotErr != nil) {
		t.Fatalf("%s: encoding/json error %v, writer error %v", what, wantErr, gotErr)
	}
	if wantErr != nil || bytes.Equal(want, got) {
		return
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-60)
	t.Fatalf("%s: bytes differ at %d\nencoding/json: %q\nwriter:        %q", what, i,
		want[from:min(len(want), i+60)], got[from:min(len(got), i+60)])
}

// checkProject holds one project's writer output to encoding/json's for the DTO, with
// finance hidden and shown.
func checkProject(t testing.TB, p coop.Project) {
	t.Helper()
	for _, finance := range []bool{false, true} {
		want, wantErr := stdJSON(projectOut(p, finance))
		got, gotErr := ownJSON(projectJSON{&p, finance})
		sameJSON(t, fmt.Sprintf("project %q (finance %v)", p.Slug, finance), want, wantErr, got, gotErr)
	}
}

// checkPage does the same for a list answer's body.
func checkPage(t testing.TB, list []coop.Project, total int64, next string) {
	t.Helper()
	var cursor *string
	if next != "" {
		cursor = &next
	}
	for _, finance := range []bool{false, true} {
		want, wantErr := stdJSON(listBody{Items: projectsOut(list, finance), NextCursor: cursor, Total: total})
		got, gotErr := ownJSON(listJSON{items: projectsJSON{list, finance}, next: cursor, total: total})
		sameJSON(t, fmt.Sprintf("page of %d (finance %v, cursor %q)", len(list), finance, next), want, wantErr, got, gotErr)
	}
}

// awkward are strings that exercise every branch of JSON string escaping.
var awkward = []string{
	"", "a", "Stadt Münster", "Straße – „Zitat“ ‚innen‘", `"quoted"`, `back\slash\`, `\"`,
	"\x00\x01\x02\x1f", "\x7f", "\b\f\n\r\t", "tab\there\nline", "<script>alert('x')&amp;</script>",
	"\u2028", "a\u2029b", "\u2028\u2029\u2027\u202a", "\xff", "\xc3", "ab\xc3(cd", "\xed\xa0\x80",
	"\xf4\x90\x80\x80", "\xe2\x80", "\xe2\x80\xa8", "😀 Emoji 👩‍💻", "\ufffd", "\ufeffBOM", "\u00ad soft hyphen",
	"e\u0301 decomposed", strings.Repeat("Die Kommunen führen die E-Akte ein. ", 40),
	"mixed \"ä\"\\\n\x01\u2028\xff😀<>&", "/slash/ and +plus+ and %25",
}

var (
	cents = func(v int64) *coop.Cents { c := coop.Cents(v); return &c }
	zone  = time.FixedZone("CEST+30s", 2*3600+30)
)

// awkwardProject fills every field of a project from s; bits of mask leave the
// optional parts out (nil or empty), so that every combination occurs across masks.
func awkwardProject(s string, mask uint) coop.Project {
	on := func(bit uint) bool { return mask&(1<<bit) == 0 }
	p := coop.Project{
		Meta: coop.Meta{ID: s, Slug: "slug-" + s, Version: int(mask) - 3,
			CreatedAt: time.Date(2017, 2, 7, 9, 30, 0, 0, time.UTC),
			UpdatedAt: time.Date(2026, 11, 26, 19, 26, 1, 123456780, zone)},
		Title: s + " title", Cooperation: coop.Ref{ID: s, Slug: s, Name: s},
		Category: s, Status: s, Finance: coop.Finance{Currency: s},
	}
	if on(0) {
		p.Description = s
	}
	if on(1) {
		p.Solution = &coop.Ref{ID: "so-" + s, Slug: s, Name: "Lösung " + s}
	}
	if on(2) {
		p.Participants = []coop.Participant{
			{Partner: coop.Ref{ID: s, Slug: s, Name: s}, Role: s, Since: coop.PartialDate{Year: 2017, Month: 1}, Until: coop.PartialDate{Year: 2020, Month: 12, Day: 31}},
			{Partner: coop.Ref{Name: s}, Role: "lead"},
		}
	} else if on(3) {
		p.Participants = []coop.Participant{}
	}
	if on(4) {
		p.StartedOn = coop.PartialDate{Year: 2017}
		p.PlannedEndOn = coop.PartialDate{Year: 2019, Month: 12}
		p.EndedOn = coop.PartialDate{Year: 2020, Month: 6, Day: 30}
	}
	if on(5) {
		p.LegalBasis = []string{s, "GkG NRW", ""}
		p.Tags = []string{s}
	} else if on(6) {
		p.LegalBasis, p.Tags = []string{}, []string{}
	}
	if on(7) {
		p.Sources = []coop.Source{{Title: s, URL: s, PublishedOn: coop.PartialDate{Year: 2018, Month: 2, Day: 7}}, {Title: s}}
	}
	if on(8) {
		p.Finance.BudgetPlanned, p.Finance.CostActual, p.Finance.SavingsEstimated = cents(12500000), cents(-5), cents(0)
	} else if on(9) {
		p.Finance.CostActual = cents(9800050)
	}
	return p
}

func TestProjectJSONAwkward(t *testing.T) {
	for _, s := range awkward {
		for mask := range uint(1 << 10) {
			checkProject(t, awkwardProject(s, mask))
		}
	}
	var page []coop.Project
	for i, s := range awkward {
		page = append(page, awkwardProject(s, uint(i*37)))
	}
	checkPage(t, nil, 0, "")
	checkPage(t, []coop.Project{}, 0, "")
	checkPage(t, page, 123456789, "")
	for _, s := range awkward {
		checkPage(t, page[:3], 3, s)
	}
}

// TestProjectJSONFields checks that a project with every part set shows every field of
// the DTOs, nested ones too: a field added to a DTO (omitempty or not) but not to the
// writer fails here even where the other tests leave it unset.
func TestProjectJSONFields(t *testing.T) {
	p := awkwardProject("x", 0)
	b, err := ownJSON(projectJSON{&p, true})
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, typ reflect.Type, v any)
	walk = func(path string, typ reflect.Type, v any) {
		switch typ.Kind() {
		case reflect.Pointer:
			walk(path, typ.Elem(), v)
		case reflect.Slice:
			if l, _ := v.([]any); len(l) > 0 {
				walk(path+"[0]", typ.Elem(), l[0])
			} else {
				t.Errorf("%s: empty or missing", path)
			}
		case reflect.Struct:
			if typ == reflect.TypeFor[time.Time]() {
				return
			}
			m, _ := v.(map[string]any)
			if len(m) != typ.NumField() {
				t.Errorf("%s: %d fields, the DTO %s has %d", path, len(m), typ.Name(), typ.NumField())
			}
			for f := range typ.Fields() {
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if x, ok := m[name]; ok {
					walk(path+"."+name, f.Type, x)
				} else {
					t.Errorf("%s: no %s", path, name)
				}
			}
		}
	}
	walk("project", reflect.TypeFor[Project](), v)
}

// TestPlain8 checks the word-wise test against the byte-wise one for every byte value
// in every position, and every pair of byte values in every pair of positions (the
// subtractions borrow across bytes).
func TestPlain8(t *testing.T) {
	plain := func(c byte) bool { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' }
	w := []byte("abcdefgh")
	for i := range 8 {
		for j := i; j < 8; j++ {
			for a := range 256 {
				for b := range 256 {
					if i == j && a != b {
						continue
					}
					copy(w, "abcdefgh")
					w[i], w[j] = byte(a), byte(b)
					if got, want := plain8(load8(string(w))), plain(byte(a)) && plain(byte(b)); got != want {
						t.Fatalf("plain8(%q) = %v, want %v", w, got, want)
					}
				}
			}
		}
	}
}

// TestProjectJSONValues covers the non-string values at their edges: partial dates
// outside what the database holds, amounts up to the int64 limits, times in other
// zones, with nanoseconds and at the ends of the years JSON can show (beyond: both fail).
func TestProjectJSONValues(t *testing.T) {
	dates := []coop.PartialDate{{}, {Year: 1}, {Year: 999}, {Year: 2017}, {Year: 9999, Month: 12, Day: 31},
		{Year: 10000}, {Year: -5}, {Year: -2017, Month: 3}, {Year: 2017, Month: 0, Day: 5}, {Year: 2017, Month: 123},
		{Year: 2017, Month: -1}, {Year: 2017, Month: 1, Day: -1}, {Year: 2017, Month: 99, Day: 100},
		{Year: math.MaxInt, Month: math.MinInt, Day: math.MaxInt}}
	amounts := []*coop.Cents{nil, cents(0), cents(1), cents(-1), cents(99), cents(-100), cents(123456789012),
		cents(math.MaxInt64), cents(math.MinInt64), cents(math.MinInt64 + 1)}
	times := []time.Time{{}, time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC), time.Date(2026, 1, 31, 12, 0, 0, 1, zone),
		time.Date(2026, 3, 29, 2, 30, 0, 500000000, time.Local), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -3600)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Unix(1<<40, 0)}
	for i, d := range dates {
		p := awkwardProject("d", 0)
		p.StartedOn, p.Participants[0].Since, p.Sources[0].PublishedOn = d, d, d
		p.Finance.BudgetPlanned = amounts[i%len(amounts)]
		checkProject(t, p)
	}
	for i, a := range amounts {
		p := awkwardProject("a", 0)
		p.Finance.BudgetPlanned, p.Finance.CostActual, p.Finance.SavingsEstimated = a, amounts[(i+1)%len(amounts)], nil
		checkProject(t, p)
	}
	for _, c := range times {
		for _, u := range times {
			p := awkwardProject("t", 0)
			p.CreatedAt, p.UpdatedAt = c, u
			checkProject(t, p)
		}
	}
	for _, v := range []int{0, -1, math.MaxInt, math.MinInt} {
		p := awkwardProject("v", 0)
		p.Version = v
		checkProject(t, p)
	}
}

// TestProjectJSONSeed compares every seeded project, and the pages of the list, as the
// store reads them from each database.
func TestProjectJSONSeed(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		if _, err := db.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		n, cursor := 0, ""
		for {
			res, err := db.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: 4, Cursor: cursor}})
			if err != nil {
				t.Fatal(err)
			}
			checkPage(t, res.Items, res.Total, res.NextCursor)
			for _, p := range res.Items {
				one, err := db.FindProject(ctx, p.Slug)
				if err != nil {
					t.Fatal(err)
				}
				checkProject(t, one)
				n++
			}
			if cursor = res.NextCursor; cursor == "" {
				break
			}
		}
		if n == 0 {
			t.Fatal("the seed has no projects")
		}
	})
}

// TestProjectJSONServed checks the answers themselves: list pages (anonymous and with
// finance) and single projects through the router are the bytes encoding/json gives the
// DTOs, with the same weak ETag as before.
func TestProjectJSONServed(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		if _, err := db.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		_, admin, err := db.CreateToken(ctx, coop.TokenDraft{Name: "json-admin", Roles: []string{"admin"}})
		if err != nil {
			t.Fatal(err)
		}
		h := New(db, Options{PublicRead: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler()
		get := func(path, token string) *httptest.ResponseRecorder {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			if token != "" {
				r.Header.Set("Authorization", "Bearer "+token)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", path, w.Code, w.Body)
			}
			return w
		}
		for _, token := range []string{"", admin} {
			res, err := db.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: 3}})
			if err != nil {
				t.Fatal(err)
			}
			if res.NextCursor == "" {
				t.Fatal("the seed fits into a page of 3")
			}
			w := get("/api/v1/projects?limit=3", token)
			want, _ := stdJSON(listBody{Items: projectsOut(res.Items, token != ""), NextCursor: &res.NextCursor, Total: res.Total})
			sameJSON(t, "list answer", want, nil, w.Body.Bytes(), nil)
			if tag := w.Header().Get("ETag"); tag != weakTag(want) {
				t.Fatalf("list ETag %s, want %s", tag, weakTag(want))
			}
			p := res.Items[0]
			want, _ = stdJSON(projectOut(p, token != ""))
			sameJSON(t, "get answer", want, nil, get("/api/v1/projects/"+p.Slug, token).Body.Bytes(), nil)
		}
	})
}

// FuzzProjectJSON holds the writer to encoding/json for random strings in every string
// field and random dates, amounts, times and versions.
func FuzzProjectJSON(f *testing.F) {
	for i, s := range awkward {
		f.Add(s, awkward[(i+1)%len(awkward)], 2017, 3, 0, int64(12345), int64(1485509400123456789), 1, uint16(i))
	}
	f.Add("", "", 0, 0, 0, int64(0), int64(0), 0, uint16(0xffff))
	f.Fuzz(func(t *testing.T, a, b string, year, month, day int, amount, nanos int64, version int, mask uint16) {
		p := awkwardProject(a, uint(mask))
		p.Slug, p.Title, p.Cooperation.Name = b, a+b, b
		if p.Solution != nil {
			p.Solution.Slug = b
		}
		d := coop.PartialDate{Year: year, Month: month, Day: day}
		p.StartedOn, p.EndedOn = d, coop.PartialDate{Year: year}
		for i := range p.Participants {
			p.Participants[i].Role, p.Participants[i].Until = b, d
		}
		for i := range p.Sources {
			p.Sources[i].URL, p.Sources[i].PublishedOn = b, d
		}
		p.LegalBasis = append(p.LegalBasis, b)
		if mask&0x8000 == 0 {
			p.Finance.SavingsEstimated = cents(amount)
		}
		p.CreatedAt = time.Unix(0, nanos).In(time.FixedZone("", int(amount%100000)))
		p.UpdatedAt = time.Unix(nanos/1000, 0)
		p.Version = version
		checkProject(t, p)
		checkPage(t, []coop.Project{p, awkwardProject(b, uint(mask)>>3)}, amount, a)
	})
}
