package web

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The project tables — the project list (/verzeichnis/vorhaben) and a partner's
// projects for portals (/embed/partner/{slug}/vorhaben) — have their rows written here
// in Go, not by a template's {{range}}: a template calls a method through reflection for
// every label, date and link of every row and its escaper for every value, which made
// the list page cost 3 × the JSON list of the same query (BENCHMARKS.md, "Web pages
// against the JSON API"). The rows are byte for byte what the templates wrote
// (TestProjectRowsAsTemplates holds them to the former templates): every value escaped
// as html/template escapes text and quoted attributes (escapeHTML), labels looked up
// in the page's language, dates formatted by formatDate.

// projectTable describes the columns and the indentation of a project table.
type projectTable struct {
	indent string // of a row's <tr>; its cells are indented two more spaces
	// embed: the links open a new window, and the partner's roles stand where the list
	// has category and participants.
	embed bool
}

var (
	listTable  = projectTable{indent: "      "}
	embedTable = projectTable{indent: "    ", embed: true}
)

// projectRow is a project and, in a partner's table, the partner's roles in it.
type projectRow struct {
	Project *coop.Project
	Roles   []string
}

// rows writes the rows of the table in lang as the page's HTML.
func (t projectTable) rows(lang string, rows []projectRow) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(len(rows) * 900)
	t.write(&b, lang, rows)
	return template.HTML(b.String())
}

// write writes the rows of the table in lang to b.
func (t projectTable) write(b *strings.Builder, lang string, rows []projectRow) {
	// the constant pieces, put together once per table
	cell := "\n" + t.indent + `  <td class="kern-table__cell">`
	start := "\n" + t.indent + `<tr class="kern-table__row">` + cell + `<a class="kern-link" href="` + prefixOf(lang) + "/verzeichnis/vorhaben/"
	end := "</td>\n" + t.indent + "</tr>\n" + t.indent[2:]
	for _, row := range rows {
		p := row.Project
		b.WriteString(start)
		escapeHTML(b, p.Slug)
		if t.embed {
			b.WriteString(`" target="_blank" rel="noopener">`)
		} else {
			b.WriteString(`">`)
		}
		escapeHTML(b, p.Title)
		b.WriteString("</a></td>")
		if t.embed {
			b.WriteString(cell)
			for i, r := range row.Roles {
				if i > 0 {
					b.WriteString(", ")
				}
				escapeHTML(b, label(lang, "role", r))
			}
			b.WriteString("</td>")
		}
		b.WriteString(cell)
		writeBadge(b, lang, "status", p.Status)
		b.WriteString("</td>")
		if !t.embed {
			b.WriteString(cell)
			escapeHTML(b, label(lang, "category", p.Category))
			b.WriteString("</td>" + cell)
			for i, pa := range p.Participants {
				if i > 0 {
					b.WriteString(", ")
				}
				escapeHTML(b, pa.Partner.Name)
			}
			b.WriteString("</td>")
		}
		b.WriteString(cell)
		escapeHTML(b, formatDate(lang, p.StartedOn))
		b.WriteString(end)
	}
}

// writeBadge writes the status-badge partial of a code of enum.
func writeBadge(b *strings.Builder, lang, enum, code string) {
	b.WriteString(`<span class="kern-badge status status--`)
	escapeHTML(b, code)
	b.WriteString(`"><span class="kern-label">`)
	escapeHTML(b, label(lang, enum, code))
	b.WriteString("</span></span>")
}

// escapeHTML writes s escaped as html/template escapes a value in text and in a quoted
// attribute: NUL, ", &, ', +, < and > replaced (its htmlReplacementTable), everything
// else, invalid UTF-8 included, kept as it is. Every replaced character is ASCII, so
// a byte loop finds exactly the runes html/template's rune loop finds.
func escapeHTML(b *strings.Builder, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(repl)
		written = i + 1
	}
	b.WriteString(s[written:])
}

// checkBoxes writes the check boxes of the filter form for the codes of enum (field
// name, labels of enumeration name), those in checked ticked.
func checkBoxes(b *strings.Builder, lang, name string, enum coop.Enum, checked []string) {
	start := "\n      <div class=\"kern-form-check\">\n        <input class=\"kern-form-check__checkbox\" type=\"checkbox\" id=\"f-" + name + "-"
	named := `" name="` + name + `" value="`
	labelFor := ">\n        <label class=\"kern-label\" for=\"f-" + name + "-"
	for _, l := range enum {
		b.WriteString(start)
		escapeHTML(b, l.Code)
		b.WriteString(named)
		escapeHTML(b, l.Code)
		b.WriteString(`"`)
		if slices.Contains(checked, l.Code) {
			b.WriteString(" checked")
		}
		b.WriteString(labelFor)
		escapeHTML(b, l.Code)
		b.WriteString(`">`)
		escapeHTML(b, label(lang, name, l.Code))
		b.WriteString("</label>\n      </div>\n    ")
	}
}

// partnerOptions writes the partner choices of the filter form, those in selected
// selected.
func partnerOptions(b *strings.Builder, partners []coop.Partner, selected []string) {
	for _, p := range partners {
		b.WriteString(`<option value="`)
		escapeHTML(b, p.Slug)
		b.WriteString(`"`)
		if slices.Contains(selected, p.Slug) {
			b.WriteString(" selected")
		}
		b.WriteString(">")
		escapeHTML(b, p.Name)
		b.WriteString("</option>")
	}
}

// sortChoices writes the sort options of the filter form, their labels translated by t.
func sortChoices(b *strings.Builder, t func(string) string, sorts []struct{ Value, Label string }, current string) {
	for _, s := range sorts {
		b.WriteString(`<option value="`)
		escapeHTML(b, s.Value)
		b.WriteString(`"`)
		if s.Value == current {
			b.WriteString(" selected")
		}
		b.WriteString(">")
		escapeHTML(b, t(s.Label))
		b.WriteString("</option>")
	}
}

// write writes the project filter form (project list and dashboard) as the
// partial "filters" wrote it (testdata/former_filters.html; TestFilterChoicesAsTemplates).
func (f filterForm) write(b *strings.Builder) {
	v, q := f.V, f.Query
	w := b.WriteString
	esc := func(s string) { escapeHTML(b, s) }
	fieldError := func(msg string) {
		if msg != "" {
			w(`<p class="kern-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><span class="kern-body">`)
			esc(msg)
			w(`</span></p>`)
		}
	}
	errClass := func(field, class string) {
		if q.Errors[field] != "" {
			w(class)
		}
	}
	// a fieldset of check boxes with its legend and its field's error
	boxes := func(field, legend string, codes coop.Enum, chosen []string) {
		w("<fieldset class=\"kern-fieldset")
		errClass(field, " kern-fieldset--error")
		w("\">\n    <legend class=\"kern-label\">")
		esc(v.T(legend))
		w("</legend>\n    ")
		fieldError(q.Errors[field])
		w("\n    <div class=\"kern-fieldset__body\">\n    ")
		checkBoxes(b, v.Lang, field, codes, chosen)
		w("\n    </div>\n  </fieldset>")
	}
	action := prefixOf(v.Lang) + f.Action
	w("\n<form class=\"filters\" method=\"get\" action=\"")
	esc(action)
	w("\" aria-labelledby=\"h-filter\">\n  <h2 class=\"kern-heading-small\" id=\"h-filter\">")
	esc(v.T("Filter"))
	w("</h2>\n  <div class=\"kern-form-input")
	errClass("q", " kern-form-input--error")
	w("\">\n    <label class=\"kern-label\" for=\"f-q\">")
	esc(v.T("Stichwort"))
	w("</label>\n    ")
	fieldError(q.Errors["q"])
	w("\n    <input class=\"kern-form-input__input\" id=\"f-q\" name=\"q\" type=\"search\" maxlength=\"200\" value=\"")
	esc(q.Q)
	w("\">\n  </div>\n  ")
	boxes("status", "Status", f.Statuses, q.Statuses)
	w("\n  ")
	boxes("category", "Kategorie", f.Categories, q.Categories)
	w("\n  <div class=\"kern-form-input\">\n    <label class=\"kern-label\" for=\"f-partner\">")
	esc(v.T("Partner"))
	w("</label>\n    ")
	if len(f.Partners) > 0 {
		w("\n    <div class=\"kern-form-input__select-wrapper\">\n      <select class=\"kern-form-input__select\" id=\"f-partner\" name=\"partner\">\n        <option value=\"\">")
		esc(v.T("alle Partner"))
		w("</option>\n        ")
		partnerOptions(b, f.Partners, q.Partners)
		w("\n      </select>\n    </div>\n    ")
	} else {
		w("\n    <div class=\"kern-hint\" id=\"f-partner-hint\">")
		esc(v.T("Kürzel (Slug) eines oder mehrerer Partner, durch Kommas getrennt, z. B. citeq"))
		w("</div>\n    <input class=\"kern-form-input__input\" id=\"f-partner\" name=\"partner\" aria-describedby=\"f-partner-hint\" value=\"")
		esc(strings.Join(q.Partners, ","))
		w("\">\n    ")
	}
	w("\n  </div>\n  <fieldset class=\"kern-fieldset\">\n    <legend class=\"kern-label\">")
	esc(v.T("Beginn (Jahr)"))
	w("</legend>\n    <div class=\"kern-fieldset__body kern-fieldset__body--horizontal\">\n")
	for _, y := range []struct{ field, id, label, value string }{
		{"started_from", "f-from", v.T("von"), q.FromYear}, {"started_to", "f-to", v.T("bis"), q.ToYear}} {
		w("      <div class=\"kern-form-input")
		errClass(y.field, " kern-form-input--error")
		w("\">\n        <label class=\"kern-label\" for=\"" + y.id + "\">")
		esc(y.label)
		w("</label>\n        ")
		fieldError(q.Errors[y.field])
		w("\n        <input class=\"kern-form-input__input kern-form-input__input--width-4\" id=\"" + y.id + "\" name=\"" + y.field + "\" inputmode=\"numeric\" maxlength=\"4\" value=\"")
		esc(y.value)
		w("\"")
		errClass(y.field, " aria-invalid=\"true\"")
		w(">\n      </div>\n")
	}
	w("    </div>\n  </fieldset>\n  ")
	if len(f.Sorts) > 0 {
		w("\n  <div class=\"kern-form-input\">\n    <label class=\"kern-label\" for=\"f-sort\">")
		esc(v.T("Sortierung"))
		w("</label>\n    <div class=\"kern-form-input__select-wrapper\">\n      <select class=\"kern-form-input__select\" id=\"f-sort\" name=\"sort\">\n        ")
		sortChoices(b, v.T, f.Sorts, q.Sort)
		w("\n      </select>\n    </div>\n  </div>\n  ")
	}
	w("\n  <div class=\"filters__actions\">\n    <button class=\"kern-btn kern-btn--primary\" type=\"submit\"><span class=\"kern-label\">")
	esc(v.T("Filter anwenden"))
	w("</span></button>\n    ")
	if q.Active() {
		w("<a class=\"kern-link\" href=\"")
		esc(action)
		w("\">")
		esc(v.T("Filter zurücksetzen"))
		w("</a>")
	}
	w("\n  </div>\n</form>\n")
}

// Content writes the content of the project list page (templates/pages/projects.html
// calls it) as the template wrote it (testdata/former_projects.html;
// TestProjectsPageAsTemplate): the heading, the filter form, the result count, the
// table, the pager and the download links. v is the page's view.
func (d projectsPage) Content(v *view) template.HTML {
	var b strings.Builder
	b.Grow(12000 + len(d.Result.Items)*900)
	w := b.WriteString
	esc := func(s string) { escapeHTML(&b, s) }
	w("\n\n<h1 class=\"kern-heading-x-large\">")
	esc(v.T("Vorhaben"))
	w("</h1>\n<div class=\"list-layout\">\n")
	v.filterForm("/verzeichnis/vorhaben", d.Query, d.Partners, d.Sorts).write(&b)
	w("\n<section class=\"results\" aria-labelledby=\"h-results\">\n  <h2 class=\"kern-heading-medium\" id=\"h-results\" aria-live=\"polite\">")
	esc(v.Tf("%s Vorhaben gefunden", v.Num(d.Result.Total)))
	w("</h2>\n  ")
	if v.CanEdit {
		w("<p><a class=\"kern-btn kern-btn--secondary\" href=\"")
		writeURL(&b, v.URL("/verzeichnis/vorhaben/neu"))
		w("\"><span class=\"kern-label\">")
		esc(v.T("Neues Vorhaben anlegen"))
		w("</span></a></p>")
	}
	w("\n  ")
	switch {
	case len(d.Result.Items) > 0:
		w("\n  <div class=\"table-scroll\" role=\"region\" aria-labelledby=\"h-results\" tabindex=\"0\">\n  <table class=\"kern-table kern-table--small\">\n    <thead><tr class=\"kern-table__row\">\n")
		for _, h := range []string{v.T("Titel"), v.T("Status"), v.T("Kategorie"), v.T("Beteiligte"), v.T("Beginn")} {
			w("      <th class=\"kern-table__header\" scope=\"col\">")
			esc(h)
			w("</th>\n")
		}
		w("    </tr></thead>\n    <tbody class=\"kern-table__body\">\n    ")
		rows := make([]projectRow, len(d.Result.Items))
		for i := range d.Result.Items {
			rows[i].Project = &d.Result.Items[i]
		}
		listTable.write(&b, v.Lang, rows)
		w("\n    </tbody>\n  </table>\n  </div>\n  ")
	case len(d.Query.Errors) == 0:
		w("\n  <p class=\"kern-body\">")
		esc(v.T("Keine Vorhaben passen zu diesen Filtern."))
		w("</p>\n  ")
	}
	w("\n  ")
	if d.Next != "" || d.First != "" {
		w("\n<nav class=\"pager\" aria-label=\"")
		esc(v.T("Seiten"))
		w("\">\n  ")
		if d.First != "" {
			w("<a class=\"kern-link\" href=\"")
			writeURL(&b, d.First)
			w("\">")
			esc(v.T("Erste Seite"))
			w("</a>")
		}
		w("\n  ")
		if d.Next != "" {
			w("<a class=\"kern-link\" href=\"")
			writeURL(&b, d.Next)
			w("\" rel=\"next\">")
			esc(v.T("Nächste Seite"))
			w("</a>")
		}
		w("\n</nav>\n")
	}
	w("\n  \n<p class=\"downloads kern-body kern-body--small\">")
	esc(v.T("Diese Daten"))
	w(":\n  ")
	if dl := d.Downloads; dl.CSV != "" {
		w("<a class=\"kern-link\" href=\"")
		writeURL(&b, dl.CSV)
		w("\">")
		esc(v.T("als CSV"))
		w("</a> ·\n  <a class=\"kern-link\" href=\"")
		writeURL(&b, dl.XLSX)
		w("\">")
		esc(v.T("als Excel"))
		w("</a> ·")
	}
	w("\n  <a class=\"kern-link\" href=\"")
	writeURL(&b, d.Downloads.JSON)
	w("\">")
	esc(v.T("als JSON"))
	w("</a></p>\n\n</section>\n</div>\n\n")
	return template.HTML(b.String())
}

// writeURL writes s as html/template writes a value that begins a link in a quoted
// attribute: "#ZgotmplZ" unless relative or http, https or mailto (its urlFilter),
// bytes other than RFC 3986's unreserved and reserved characters percent-encoded and
// valid escapes kept (its urlNormalizer), then escaped (escapeHTML).
func writeURL(b *strings.Builder, s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		b.WriteString("#ZgotmplZ")
		return
	}
	var n strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0, 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			continue
		}
		n.WriteString(s[written:i])
		fmt.Fprintf(&n, "%%%02x", c)
		written = i + 1
	}
	if written == 0 {
		escapeHTML(b, s)
		return
	}
	n.WriteString(s[written:])
	escapeHTML(b, n.String())
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
