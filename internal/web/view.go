package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the pages show Central European time on systems without tzdata

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// view is what every template gets: the page's data and the site around it.
type view struct {
	Lang     string
	Title    string
	Static   string // URL prefix of the assets
	AltURL   string // this page in the other language
	AltLang  string
	LangHint bool // a German page for a browser that prefers English
	User     *auth.Principal
	CSRF     string // "" until a form asks for it
	Path     string // the request's path, for the active navigation item
	Saved    bool   // a form was just saved (?gespeichert=1)
	Data     any
	LD       template.JS // the resource's JSON-LD for the head (jsonld.go)
	// Demo: the directory holds invented demo data, and every page says so (the API's
	// middleware marked the answer, httpapi.DemoHeader).
	Demo       bool
	SignedIn   bool // a person is signed in
	CanEdit    bool // the signed-in person may write at all (editor or admin)
	CanControl bool // the dashboard is open to the signed-in person
	Nav        nav  // the navigation's current section
	r          *request
}

// nav marks the navigation item of the current section.
type nav struct{ Projects, Partners, Cooperations, Solutions, Search, Controlling bool }

func (r *request) view(title string, data any) *view {
	u := r.c.Request().URL
	v := &view{Lang: r.lang, Title: title, Static: r.site.static, User: r.p, Data: data, r: r, Path: u.Path,
		Saved: u.Query().Get("gespeichert") == "1", LD: r.ld, Demo: httpapi.IsDemo(r.c), SignedIn: r.p != nil,
		CanEdit: auth.CanWriteDirectory(r.p), CanControl: auth.CanSeeFinance(r.p)}
	alt := strings.TrimPrefix(u.Path, "/en")
	v.AltLang = langEN
	if r.lang == langEN {
		v.AltLang = langDE
		if alt == "" {
			alt = "/"
		}
	} else {
		alt = "/en" + strings.TrimSuffix(alt, "/")
		v.LangHint = prefersEnglish(r.c.Request().Header.Get("Accept-Language"))
	}
	if u.RawQuery != "" {
		alt += "?" + u.RawQuery
	}
	v.AltURL = alt
	v.Nav = nav{Projects: v.Active("/verzeichnis/vorhaben"), Partners: v.Active("/verzeichnis/partner"),
		Cooperations: v.Active("/verzeichnis/kooperationen"), Solutions: v.Active("/verzeichnis/loesungen"),
		Search: v.Active("/suche"), Controlling: v.Active("/controlling")}
	if r.p != nil || r.sess != nil {
		v.CSRF = r.csrfToken()
	}
	return v
}

// T translates a German text of the pages into the page's language.
func (v *view) T(s string) string { return v.r.T(s) }

// Tf translates a format and fills it in.
func (v *view) Tf(format string, args ...any) string { return fmt.Sprintf(v.r.T(format), args...) }

// URL prefixes a site path with the page's language.
func (v *view) URL(path string) string { return prefixOf(v.Lang) + path }

// Label is the label of an enumeration code in the page's language.
func (v *view) Label(enum, code string) string { return label(v.Lang, enum, code) }

// Date formats a partial date as people write it: 2016, 11/2016, 15.11.2016.
func (v *view) Date(d coop.PartialDate) string { return formatDate(v.Lang, d) }

// Money formats cents as 1.234,56 € (German) or €1,234.56 (English); "–" for none.
func (v *view) Money(c *coop.Cents) string {
	if c == nil {
		return "–"
	}
	return formatMoney(v.Lang, *c)
}

// Num formats a count with the language's thousands separator.
func (v *view) Num(n int64) string { return formatInt(v.Lang, n) }

// Token returns the page's CSRF token (starting a session for it).
func (v *view) Token() string {
	if v.CSRF == "" {
		v.CSRF = v.r.csrfToken()
	}
	return v.CSRF
}

// RoleLabel names the signed-in person's roles.
func (v *view) RoleLabel() string {
	if v.User == nil {
		return ""
	}
	labels := make([]string, len(v.User.Roles))
	for i, r := range v.User.Roles {
		labels[i] = v.T(roleNames[string(r)])
	}
	return strings.Join(labels, ", ")
}

// Active marks the navigation item of the current section.
func (v *view) Active(section string) bool {
	return strings.HasPrefix(strings.TrimPrefix(v.Path, "/en"), section)
}

// Query renders url.Values as a query string ("" or "?…").
func (v *view) Query(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

var roleNames = map[string]string{
	"reader": "Lesen", "controlling": "Controlling", "editor": "Redaktion", "admin": "Administration",
}

//go:embed templates
var templateFS embed.FS

// pageSet holds one template per page and language, each a layout plus the page's
// blocks: the site's layout for pages/, a bare one without navigation for embed/
// (pages shown in other sites' frames).
//
// Each language has its own copy of the templates, in which the constant texts and
// links are already in place (foldConstants): {{.T "Vorhaben"}} is "Projects" in the
// English copy and {{.URL "/suche"}} is "/en/suche", so that a page does not call a
// method through reflection and an escaper for each of its some 100 fixed labels.
type pageSet struct {
	pages map[string]map[string]*template.Template // language → page → template
}

// parsePages parses the templates once per language, the constants folded in unless
// fold is false (a test compares the pages both ways).
func parsePages(fold bool) (*pageSet, error) {
	ps := &pageSet{pages: map[string]map[string]*template.Template{}}
	for _, lang := range []string{langDE, langEN} {
		ps.pages[lang] = map[string]*template.Template{}
		read := func(name string) (string, error) {
			b, err := fs.ReadFile(templateFS, name)
			if err != nil || !fold {
				return string(b), err
			}
			return foldConstants(string(b), lang), nil
		}
		partials, err := fs.Glob(templateFS, "templates/partials/*.html")
		if err != nil {
			return nil, err
		}
		for _, set := range []struct{ layout, dir string }{{"layout.html", "pages"}, {"embed_layout.html", "embed"}} {
			base := template.New("layout.html").Funcs(funcs)
			for _, f := range append([]string{"templates/" + set.layout}, partials...) {
				text, err := read(f)
				if err != nil {
					return nil, err
				}
				// the layout under the name execute uses, the partials under their own
				t := base
				if f != "templates/"+set.layout {
					t = base.New(f)
				}
				if _, err := t.Parse(text); err != nil {
					return nil, fmt.Errorf("%s: %w", f, err)
				}
			}
			names, err := fs.Glob(templateFS, "templates/"+set.dir+"/*.html")
			if err != nil {
				return nil, err
			}
			for _, n := range names {
				text, err := read(n)
				if err != nil {
					return nil, err
				}
				t, err := template.Must(base.Clone()).New(n).Parse(text)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", n, err)
				}
				ps.pages[lang][strings.TrimSuffix(n[strings.LastIndex(n, "/")+1:], ".html")] = t
			}
		}
	}
	return ps, nil
}

func (ps *pageSet) execute(w *bytes.Buffer, name string, v *view) error {
	t, ok := ps.pages[v.Lang][name]
	if !ok {
		return fmt.Errorf("web: no page template %q in %q", name, v.Lang)
	}
	return t.ExecuteTemplate(w, "layout.html", v)
}

// constantCall finds the template actions that are nothing but a translation or a
// link of a quoted constant: .T, $.T, .V.T and $.V.T with one string, and the same with
// URL. (The view's T and URL depend only on the language.)
var constantCall = regexp.MustCompile(`\{\{\$?(?:\.V)?\.(T|URL) ("(?:[^"\\]|\\.)*")\}\}`)

// foldConstants replaces the constant actions of a template's text by their values in
// lang, and the page's language, the other language and the assets' URL prefix (the
// layouts' .Lang, .AltLang and .Static, used only where the dot is the view), escaped as
// html/template would escape them: the pages' templates use them only
// in text, in quoted attributes and at the start of a link (where a site path needs no
// escaping), all of which html/template escapes with the same table as escapeHTML.
// TestFoldedPages holds every page to the page the unfolded templates write.
func foldConstants(text, lang string) string {
	var static strings.Builder
	escapeHTML(&static, staticPrefix())
	alt, other := langEN, "English"
	if lang == langEN {
		alt, other = langDE, "Deutsch"
	}
	text = strings.NewReplacer("{{.Static}}", static.String(), "{{.Lang}}", lang, "{{.AltLang}}", alt,
		`{{if eq .Lang "de"}}English{{else}}Deutsch{{end}}`, other).Replace(text)
	return constantCall.ReplaceAllStringFunc(text, func(action string) string {
		m := constantCall.FindStringSubmatch(action)
		arg, err := strconv.Unquote(m[2])
		if err != nil {
			return action
		}
		var b strings.Builder
		if m[1] == "T" {
			escapeHTML(&b, translate(lang, arg))
		} else {
			escapeHTML(&b, prefixOf(lang)+arg)
		}
		return b.String()
	})
}

// funcs are the few helpers templates need beyond the view's methods.
var funcs = template.FuncMap{
	"add":   func(a, b int) int { return a + b },
	"join":  strings.Join,
	"int64": func(n int) int64 { return int64(n) },
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
	// snippet marks a search snippet as HTML: the search service escapes everything
	// in it but its own <mark> elements (coop.SearchHit.Snippet).
	"snippet": func(s string) template.HTML { return template.HTML(s) },
}

// Dl hands the view to the downloads partial.
func (v *view) Dl(d downloads) downloads {
	d.V = v
	return d
}

// badge is a status badge's code and label.
type badge struct{ Code, Label string }

// Badge returns the badge of a status code of enum ("status" or "coop_status").
func (v *view) Badge(enum, code string) badge { return badge{code, v.Label(enum, code)} }

// timeline is the data of the timeline partial.
type timeline struct {
	V     *view
	Items []coop.StatusChange
	Enum  string
}

// Timeline hands a status history to the timeline partial.
func (v *view) Timeline(items []coop.StatusChange, enum string) timeline {
	return timeline{v, items, enum}
}

type sourceList struct {
	V     *view
	Items []coop.Source
}

// Sources hands sources to their partial.
func (v *view) Sources(items []coop.Source) sourceList { return sourceList{v, items} }

type pager struct {
	V           *view
	Next, First string
}

// Pager hands page links to their partial.
func (v *view) Pager(next, first string) pager { return pager{v, next, first} }

// Time formats an instant in Central European time: 07.02.2018, 14:05 / 7 Feb 2018, 14:05.
func (v *view) Time(t time.Time) string {
	t = t.In(berlin)
	if v.Lang == langEN {
		return formatDate(v.Lang, coop.DateFromTime(t)) + ", " + t.Format("15:04")
	}
	return t.Format("02.01.2006, 15:04")
}

// berlin is the time zone the pages show instants in (UTC if the system lacks tzdata).
var berlin = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Berlin"); err == nil {
		return l
	}
	return time.UTC
}()

// Action names a change's action.
func (v *view) Action(a string) string {
	return v.T(map[string]string{coop.ActionCreate: "angelegt", coop.ActionUpdate: "geändert",
		coop.ActionDelete: "gelöscht", coop.ActionRestore: "wiederhergestellt", coop.ActionTransition: "Statuswechsel"}[a])
}

// Fields lists the names of a change's fields; money fields only for those who may
// see money.
func (v *view) Fields(ch map[string]coop.FieldChange) string {
	names := make([]string, 0, len(ch))
	for k := range ch {
		if strings.HasPrefix(k, "finance") && !v.r.seesFinance() {
			continue
		}
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

type listSearch struct {
	V       *view
	Path, Q string
}

// ListSearch hands a list's search box to its partial.
func (v *view) ListSearch(path, q string) listSearch { return listSearch{v, path, q} }

// FieldID is the HTML id of an API field path's input.
func (v *view) FieldID(path string) string { return fieldID(path) }

// MoneyInput shows an amount as a German form value: 125000,00.
func (v *view) MoneyInput(s *string) string {
	if s == nil {
		return ""
	}
	return strings.Replace(*s, ".", ",", 1)
}

// changeRow is one field of a change, its values as short text.
type changeRow struct{ Field, Old, New string }

// ChangeRows lists a change's fields for the conflict view; money only for those who
// may see it.
func (v *view) ChangeRows(ch map[string]coop.FieldChange) []changeRow {
	var out []changeRow
	for _, k := range slices.Sorted(maps.Keys(ch)) {
		if strings.HasPrefix(k, "finance") && !v.r.seesFinance() {
			continue
		}
		out = append(out, changeRow{k, shortValue(ch[k].Old), shortValue(ch[k].New)})
	}
	return out
}

// shortValue renders a JSON value of the change log as at most 200 characters.
func shortValue(x any) string {
	if x == nil {
		return "–"
	}
	var s string
	switch t := x.(type) {
	case string:
		s = t
	default:
		b, _ := json.Marshal(t)
		s = string(b)
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// filterForm is the data of the project filter partial (project list and dashboard),
// which is written in Go (filterForm.write), like the project tables' rows (rows.go).
type filterForm struct {
	V          *view
	Action     string
	Query      projectQuery
	Partners   []coop.Partner
	Sorts      []struct{ Value, Label string }
	Statuses   coop.Enum
	Categories coop.Enum
	HTML       template.HTML // the whole form (Filters)
}

// Filters hands the project filters to their partial; without sorts there is no sort
// field.
func (v *view) Filters(action string, q projectQuery, partners []coop.Partner, sorts []struct{ Value, Label string }) filterForm {
	f := v.filterForm(action, q, partners, sorts)
	var b strings.Builder
	b.Grow(6000 + len(partners)*80)
	f.write(&b)
	f.HTML = template.HTML(b.String())
	return f
}

func (v *view) filterForm(action string, q projectQuery, partners []coop.Partner, sorts []struct{ Value, Label string }) filterForm {
	return filterForm{V: v, Action: action, Query: q, Partners: partners, Sorts: sorts,
		Statuses: coop.ProjectStatuses, Categories: coop.ProjectCategories}
}
