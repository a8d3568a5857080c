package web

import (
	"bytes"
	"html/template"
	"os"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The rows of the project tables as the templates wrote them before projectTable.rows
// (projects.html and embed/embed_partner_projects.html at d3101bb), verbatim.
const (
	formerListRows = `{{define "rows"}}{{with .Data}}
    {{range .Result.Items}}
      <tr class="kern-table__row">
        <td class="kern-table__cell"><a class="kern-link" href="{{$.URL "/verzeichnis/vorhaben/"}}{{.Slug}}">{{.Title}}</a></td>
        <td class="kern-table__cell">{{template "status-badge" ($.Badge "status" .Status)}}</td>
        <td class="kern-table__cell">{{$.Label "category" .Category}}</td>
        <td class="kern-table__cell">{{template "participants-cell" .Participants}}</td>
        <td class="kern-table__cell">{{$.Date .StartedOn}}</td>
      </tr>
    {{end}}
{{end}}{{end}}`
	formerEmbedRows = `{{define "rows"}}{{with .Data}}
  {{range .Projects}}
    <tr class="kern-table__row">
      <td class="kern-table__cell"><a class="kern-link" href="{{$.URL "/verzeichnis/vorhaben/"}}{{.Project.Slug}}" target="_blank" rel="noopener">{{.Project.Title}}</a></td>
      <td class="kern-table__cell">{{range $i, $r := .Roles}}{{if $i}}, {{end}}{{$.Label "role" $r}}{{end}}</td>
      <td class="kern-table__cell">{{template "status-badge" ($.Badge "status" .Project.Status)}}</td>
      <td class="kern-table__cell">{{$.Date .Project.StartedOn}}</td>
    </tr>
  {{end}}
{{end}}{{end}}`
	// what the pages' templates have now in the place of the {{range}}
	currentListRows = `{{define "rows"}}{{with .Data}}
    {{.Rows}}
{{end}}{{end}}`
	currentEmbedRows = `{{define "rows"}}{{with .Data}}
  {{.Rows}}
{{end}}{{end}}`
)

// TestProjectRowsAsTemplates: the rows projectTable.rows writes are byte for byte the
// rows the templates wrote before, in German and in English, for projects of every
// status, category and kind of date, with participants and roles, and with text that
// html/template escapes (markup, quotes, ampersands, plus signs, NUL, invalid UTF-8).
func TestProjectRowsAsTemplates(t *testing.T) {
	ref := func(name string) coop.Ref { return coop.Ref{ID: "id-" + name, Slug: "s", Name: name} }
	var projects []coop.Project
	for i, st := range coop.ProjectStatuses {
		cat := coop.ProjectCategories[i%len(coop.ProjectCategories)].Code
		projects = append(projects, coop.Project{Meta: coop.Meta{Slug: "vorhaben-" + st.Code}, Title: "Vorhaben „" + st.LabelDE + "“", Status: st.Code,
			Category: cat, StartedOn: coop.PartialDate{Year: 2010 + i, Month: i % 13, Day: (i * 7) % 29 * min(i%13, 1)},
			Participants: []coop.Participant{{Partner: ref("citeq"), Role: "partner"}, {Partner: ref("LWL.IT Service Abteilung"), Role: "implementer"}}})
	}
	for _, c := range coop.ProjectCategories {
		projects = append(projects, coop.Project{Meta: coop.Meta{Slug: "k-" + c.Code}, Title: c.LabelDE, Status: "planned", Category: c.Code})
	}
	projects = append(projects,
		coop.Project{Meta: coop.Meta{Slug: "dips-kommunal"}, Title: "DiPS.kommunal im Stadtarchiv Münster", Status: "operational", Category: "archiving",
			StartedOn: coop.PartialDate{Year: 2016, Month: 11}, Participants: []coop.Participant{{Partner: ref("Stadt Münster"), Role: "user"}}},
		coop.Project{Meta: coop.Meta{Slug: "sonderzeichen"}, Title: `<script>alert('x')</script> & "Anführung" + 1 > 0 ` + "\x00 \xff\xfe ü €",
			Status: "in_progress", Category: coop.UnknownKey, StartedOn: coop.PartialDate{Year: 2019, Month: 2, Day: 3},
			Participants: []coop.Participant{{Partner: ref(`Kreis "A" & <B>`), Role: "partner"}, {Partner: ref("O'Brien + Co"), Role: "partner"}}},
		coop.Project{Meta: coop.Meta{Slug: "ohne-alles"}, Title: "Ohne Beteiligte", Status: "unbekannter-status", Category: "unbekannte-kategorie"},
	)
	var list []projectRow
	var embed []projectRow
	for i := range projects {
		list = append(list, projectRow{Project: &projects[i]})
		var roles []string
		for j, r := range coop.ParticipantRoles {
			if (i+j)%3 == 0 {
				roles = append(roles, r.Code)
			}
		}
		if i == len(projects)-1 {
			roles = append(roles, "unbekannte-rolle")
		}
		embed = append(embed, projectRow{Project: &projects[i], Roles: roles})
	}

	render := func(t *testing.T, text string, v *view) string {
		t.Helper()
		tpl, err := template.New("t").Funcs(funcs).ParseFS(templateFS, "templates/partials/common.html")
		if err == nil {
			tpl, err = tpl.Parse(text)
		}
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := tpl.ExecuteTemplate(&b, "rows", v); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, lang := range []string{langDE, langEN} {
		for _, c := range []struct {
			name        string
			former, now string
			before      any
			current     any
		}{
			{"list", formerListRows, currentListRows, projectsPage{Result: coop.ListResult[coop.Project]{Items: projects}},
				struct{ Rows template.HTML }{listTable.rows(lang, list)}},
			{"embed", formerEmbedRows, currentEmbedRows, embedPartnerPage{Projects: embed}, embedPartnerPage{Rows: embedTable.rows(lang, embed)}},
		} {
			was := render(t, c.former, &view{Lang: lang, Data: c.before})
			is := render(t, c.now, &view{Lang: lang, Data: c.current})
			if was != is {
				t.Errorf("%s, %s: the rows differ from the former template's\nformer:\n%s\nnow:\n%s", c.name, lang, was, is)
			}
			if !bytes.Contains([]byte(was), []byte("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;Anführung&#34; &#43; 1 &gt; 0 \uFFFD \xff\xfe ü €")) {
				t.Errorf("%s, %s: the title with markup is not in the rows as expected:\n%s", c.name, lang, was)
			}
		}
	}
	if listTable.rows(langDE, nil) != "" {
		t.Error("rows of no projects")
	}
}

// TestFilterChoicesAsTemplates: the filter form (project list and dashboard) with its
// choices written in Go is byte for byte the form the partial wrote before
// (testdata/former_filters.html, the partial at d3101bb), in German and in English,
// with and without choices made, partners offered and sorts.
func TestFilterChoicesAsTemplates(t *testing.T) {
	partners := []coop.Partner{{Meta: coop.Meta{Slug: "citeq"}, Name: "citeq"}, {Meta: coop.Meta{Slug: "lwl"}, Name: "Landschaftsverband Westfalen-Lippe"},
		{Meta: coop.Meta{Slug: "kreis-a"}, Name: `Kreis "A" & <B> + O'Brien ü`}}
	queries := []projectQuery{
		{},
		{Statuses: []string{"operational", "in_progress"}, Partners: []string{"citeq"}, Sort: "-started_on,title"},
		{Statuses: []string{"idea"}, Categories: []string{"archiving", "other", "unbekannt"}, Partners: []string{"lwl", "kreis-a", "fehlt"},
			FromYear: "2010", ToYear: "2020", Q: `Archiv <"&">`, Sort: "status,title"},
		{Statuses: []string{"kaputt"}, FromYear: "20x", Errors: map[string]string{"status": "Unbekannter Status", "started_from": "Bitte ein Jahr"}},
	}
	former, now := parseWithCommon(t, "testdata/former_filters.html"), parseWithCommon(t, "templates/partials/filters.html")
	for _, lang := range []string{langDE, langEN} {
		v := &view{Lang: lang, r: &request{lang: lang}}
		for i, q := range queries {
			for _, c := range []struct {
				partners []coop.Partner
				sorts    []struct{ Value, Label string }
			}{{nil, nil}, {partners, sortOptions}, {partners[:1], nil}, {nil, sortOptions}} {
				var was, is bytes.Buffer
				if err := former.ExecuteTemplate(&was, "filters", v.Filters("/verzeichnis/vorhaben", q, c.partners, c.sorts)); err != nil {
					t.Fatal(err)
				}
				if err := now.ExecuteTemplate(&is, "filters", v.Filters("/verzeichnis/vorhaben", q, c.partners, c.sorts)); err != nil {
					t.Fatal(err)
				}
				if was.String() != is.String() {
					t.Errorf("%s, query %d, %d partners, %d sorts: the form differs from the former partial's\nformer:\n%s\nnow:\n%s",
						lang, i, len(c.partners), len(c.sorts), was.String(), is.String())
				}
			}
		}
	}
}

// TestProjectsPageAsTemplate: the list page's content written in Go is byte for byte
// what the template wrote before (testdata/former_projects.html with the former filter
// partial), in German and English, with and without projects, field errors, pages
// before and after, download links and the button of editors.
func TestProjectsPageAsTemplate(t *testing.T) {
	former := parseWithCommon(t, "testdata/former_filters.html", "testdata/former_projects.html")
	now := parseWithCommon(t, "templates/partials/filters.html", "templates/pages/projects.html")
	items := []coop.Project{{Meta: coop.Meta{Slug: "dips-kommunal"}, Title: "DiPS.kommunal im Stadtarchiv Münster", Status: "operational",
		Category: "archiving", StartedOn: coop.PartialDate{Year: 2016, Month: 11}}, {Meta: coop.Meta{Slug: "it-hotline"}, Title: `IT-Hotline <"&'+>`}}
	pages := []projectsPage{
		{Query: projectQuery{Errors: map[string]string{}}, Downloads: downloads{JSON: "/api/v1/projects"}},
		{Query: projectQuery{Statuses: []string{"operational"}, Partners: []string{"citeq"}, Sort: "title", Errors: map[string]string{}},
			Result: coop.ListResult[coop.Project]{Items: items, Total: 12345}, Sorts: sortOptions,
			Partners: []coop.Partner{{Meta: coop.Meta{Slug: "citeq"}, Name: "citeq"}},
			Next:     "/verzeichnis/vorhaben?cursor=abc%3D%3D&partner=citeq&status=operational",
			First:    "/en/verzeichnis/vorhaben?q=M%C3%BCnster+%26+Co&x=a'b(c) ü\"<>",
			Downloads: downloads{JSON: "/api/v1/projects?limit=25&partner=citeq&status=operational",
				CSV:  "/api/v1/exports/projects?format=csv&partner=citeq&q=a+b%2Cc",
				XLSX: "/api/v1/exports/projects?format=xlsx&partner=citeq&q=a+b%2Cc%zz"}},
		{Query: projectQuery{Statuses: []string{"kaputt"}, Errors: map[string]string{"status": "Unbekannter Status „kaputt“"}},
			Downloads: downloads{JSON: "javascript:alert(1)"}},
	}
	for _, lang := range []string{langDE, langEN} {
		for i, d := range pages {
			for _, canEdit := range []bool{false, true} {
				v := &view{Lang: lang, r: &request{lang: lang}, Data: d, CanEdit: canEdit}
				var was, is bytes.Buffer
				if err := former.ExecuteTemplate(&was, "content", v); err != nil {
					t.Fatal(err)
				}
				if err := now.ExecuteTemplate(&is, "content", v); err != nil {
					t.Fatal(err)
				}
				if was.String() != is.String() {
					t.Errorf("%s, page %d, editor %v: the content differs from the former template's\nformer:\n%s\nnow:\n%s", lang, i, canEdit, was.String(), is.String())
				}
			}
		}
	}
}

// parseWithCommon parses template files of this directory (former ones in testdata
// too) with the common partials, as the site's templates are parsed.
func parseWithCommon(t *testing.T, files ...string) *template.Template {
	t.Helper()
	tpl, err := template.New("t").Funcs(funcs).ParseFS(templateFS, "templates/partials/common.html")
	if err == nil {
		tpl, err = tpl.ParseFS(os.DirFS("."), files...)
	}
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}
