package web

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// BenchmarkRenderProjects: the list page's template alone (25 projects, the filter form
// without partner choices), without the database and the middleware:
//
//	go test ./internal/web -run '^$' -bench RenderProjects -benchmem
func BenchmarkRenderProjects(b *testing.B) {
	ps, err := parsePages(true)
	if err != nil {
		b.Fatal(err)
	}
	var items []coop.Project
	for i := range 25 {
		items = append(items, coop.Project{Meta: coop.Meta{Slug: "vorhaben-" + string(rune('a'+i))}, Title: "Gemeinsames Vorhaben Nummer " + string(rune('A'+i)),
			Status: "operational", Category: "software", StartedOn: coop.PartialDate{Year: 2018, Month: 3},
			Participants: []coop.Participant{{Partner: coop.Ref{Name: "Stadt Münster"}}, {Partner: coop.Ref{Name: "citeq"}}}})
	}
	e := echo.New()
	c := e.NewContext(httptest.NewRequest("GET", "/verzeichnis/vorhaben?status=operational,in_progress&partner=citeq", nil), httptest.NewRecorder())
	r := &request{lang: langDE, c: c, site: &Site{}}
	pq := parseProjectQuery(c.QueryParams(), r.T)
	d := projectsPage{Query: pq, Statuses: coop.ProjectStatuses, Categories: coop.ProjectCategories, Sorts: sortOptions,
		Result: coop.ListResult[coop.Project]{Items: items, Total: 1234}}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := ps.execute(&buf, "projects", r.view("Vorhaben", d)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

func BenchmarkRenderLayout(b *testing.B) {
	ps, err := parsePages(true)
	if err != nil {
		b.Fatal(err)
	}
	e := echo.New()
	c := e.NewContext(httptest.NewRequest("GET", "/verzeichnis/vorhaben?status=operational,in_progress&partner=citeq", nil), httptest.NewRecorder())
	r := &request{lang: langDE, c: c, site: &Site{}}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := ps.execute(&buf, "error", r.view("Fehler", errorPage{Status: 404, Message: "x"})); err != nil {
			b.Fatal(err)
		}
	}
}
