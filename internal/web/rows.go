package web

import (
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
	// the constant pieces, put together once per table
	cell := "\n" + t.indent + `  <td class="kern-table__cell">`
	start := "\n" + t.indent + `<tr class="kern-table__row">` + cell + `<a class="kern-link" href="` + prefixOf(lang) + "/verzeichnis/vorhaben/"
	end := "</td>\n" + t.indent + "</tr>\n" + t.indent[2:]
	for _, row := range rows {
		p := row.Project
		b.WriteString(start)
		escapeHTML(&b, p.Slug)
		if t.embed {
			b.WriteString(`" target="_blank" rel="noopener">`)
		} else {
			b.WriteString(`">`)
		}
		escapeHTML(&b, p.Title)
		b.WriteString("</a></td>")
		if t.embed {
			b.WriteString(cell)
			for i, r := range row.Roles {
				if i > 0 {
					b.WriteString(", ")
				}
				escapeHTML(&b, label(lang, "role", r))
			}
			b.WriteString("</td>")
		}
		b.WriteString(cell)
		writeBadge(&b, lang, "status", p.Status)
		b.WriteString("</td>")
		if !t.embed {
			b.WriteString(cell)
			escapeHTML(&b, label(lang, "category", p.Category))
			b.WriteString("</td>" + cell)
			for i, pa := range p.Participants {
				if i > 0 {
					b.WriteString(", ")
				}
				escapeHTML(&b, pa.Partner.Name)
			}
			b.WriteString("</td>")
		}
		b.WriteString(cell)
		escapeHTML(&b, formatDate(lang, p.StartedOn))
		b.WriteString(end)
	}
	return template.HTML(b.String())
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
func checkBoxes(lang, name string, enum coop.Enum, checked []string) template.HTML {
	var b strings.Builder
	b.Grow(len(enum) * 300)
	start := "\n      <div class=\"kern-form-check\">\n        <input class=\"kern-form-check__checkbox\" type=\"checkbox\" id=\"f-" + name + "-"
	named := `" name="` + name + `" value="`
	labelFor := ">\n        <label class=\"kern-label\" for=\"f-" + name + "-"
	for _, l := range enum {
		b.WriteString(start)
		escapeHTML(&b, l.Code)
		b.WriteString(named)
		escapeHTML(&b, l.Code)
		b.WriteString(`"`)
		if slices.Contains(checked, l.Code) {
			b.WriteString(" checked")
		}
		b.WriteString(labelFor)
		escapeHTML(&b, l.Code)
		b.WriteString(`">`)
		escapeHTML(&b, label(lang, name, l.Code))
		b.WriteString("</label>\n      </div>\n    ")
	}
	return template.HTML(b.String())
}

// partnerOptions writes the partner choices of the filter form, those in selected
// selected.
func partnerOptions(partners []coop.Partner, selected []string) template.HTML {
	var b strings.Builder
	b.Grow(len(partners) * 80)
	for _, p := range partners {
		b.WriteString(`<option value="`)
		escapeHTML(&b, p.Slug)
		b.WriteString(`"`)
		if slices.Contains(selected, p.Slug) {
			b.WriteString(" selected")
		}
		b.WriteString(">")
		escapeHTML(&b, p.Name)
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}

// sortChoices writes the sort options of the filter form, their labels translated by t.
func sortChoices(t func(string) string, sorts []struct{ Value, Label string }, current string) template.HTML {
	var b strings.Builder
	for _, s := range sorts {
		b.WriteString(`<option value="`)
		escapeHTML(&b, s.Value)
		b.WriteString(`"`)
		if s.Value == current {
			b.WriteString(" selected")
		}
		b.WriteString(">")
		escapeHTML(&b, t(s.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}
