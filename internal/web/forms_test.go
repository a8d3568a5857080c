package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

func newProjectForm(t *testing.T, b *browser, slug, startedOn string) (page, url.Values) {
	t.Helper()
	form := b.get("/verzeichnis/vorhaben/neu")
	if form.Status != http.StatusOK {
		t.Fatalf("new project form: %d %.300s", form.Status, form.Body)
	}
	return form, url.Values{
		"_csrf": {form.csrf(t)}, "version": {"0"}, "slug": {slug}, "title": {"Gemeinsame E-Akte"},
		"cooperation": {"it-kooperation-muenster-lwl"}, "category": {"software"}, "started_on": {startedOn},
		"participants[0].partner": {"citeq"}, "participants[0].role": {"lead"},
		"participants[1].partner": {"lwl-it"}, "participants[1].role": {"partner"},
	}
}

// TestEditorCreatesProject: an editor bound to citeq creates a project with two
// participants, sees a bad date at its field, moves the project to in_progress, and
// gets the changes made in between instead of overwriting them.
func TestEditorCreatesProject(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.signIn("editor-citeq")
		ctx := context.Background()

		_, bad := newProjectForm(t, b, "e-akte", "2018-13")
		p := b.post("/verzeichnis/vorhaben/neu", bad)
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad date: %d", p.Status)
		}
		if !strings.Contains(p.Body, `id="f-started-on-error"`) || !strings.Contains(p.Body, `aria-invalid="true"`) ||
			!strings.Contains(p.Body, "Monat") || !strings.Contains(p.Body, `href="#f-started-on"`) {
			t.Errorf("the bad date is not shown at its field:\n%s", p.Body)
		}
		if _, err := e.db.FindProject(ctx, "e-akte"); coop.ErrorCode(err) != coop.ENotFound {
			t.Fatalf("a refused form wrote: %v", err)
		}

		_, good := newProjectForm(t, b, "e-akte", "2018-03")
		if p := b.post("/verzeichnis/vorhaben/neu", good); p.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", p.Status, p.Body)
		}
		pr, err := e.db.FindProject(ctx, "e-akte")
		if err != nil || len(pr.Participants) != 2 || pr.Status != "planned" {
			t.Fatalf("created project: %+v %v", pr, err)
		}

		sf := b.get("/verzeichnis/vorhaben/e-akte/status")
		if p := b.post("/verzeichnis/vorhaben/e-akte/status", url.Values{"_csrf": {sf.csrf(t)}, "version": {"1"},
			"to": {"in_progress"}, "effective_on": {"2018-04"}, "reason": {"Projektstart"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("transition: %d %s", p.Status, p.Body)
		}
		if pr, _ = e.db.FindProject(ctx, "e-akte"); pr.Status != "in_progress" {
			t.Fatalf("status after the transition: %s", pr.Status)
		}

		edit := b.get("/verzeichnis/vorhaben/e-akte/bearbeiten")
		loaded := pr.Version
		admin := coop.WithActor(ctx, coop.Actor{Type: coop.ActorToken, ID: "a", Name: "Kollegin", Roles: []string{"admin"}})
		d := pr
		draft := coop.ProjectDraft{Slug: d.Slug, Title: "E-Akte (von einer Kollegin geändert)", Cooperation: d.Cooperation.Slug,
			Category: d.Category, StartedOn: "2018-03", Participants: []coop.ParticipantDraft{
				{Partner: "citeq", Role: "lead"}, {Partner: "lwl-it", Role: "partner"}}}
		if _, err := e.db.UpdateProject(admin, pr.ID, draft, loaded); err != nil {
			t.Fatal(err)
		}
		form := url.Values{"_csrf": {edit.csrf(t)}, "version": {strconv.Itoa(loaded)}, "title": {"Meine E-Akte"},
			"cooperation": {"it-kooperation-muenster-lwl"}, "category": {"software"}, "started_on": {"2018-03"},
			"participants[0].partner": {"citeq"}, "participants[0].role": {"lead"},
			"participants[1].partner": {"lwl-it"}, "participants[1].role": {"partner"}}
		p = b.post("/verzeichnis/vorhaben/e-akte/bearbeiten", form)
		if p.Status != http.StatusConflict || !strings.Contains(p.Body, "von einer Kollegin geändert") || !strings.Contains(p.Body, "Kollegin") {
			t.Fatalf("conflict view: %d\n%s", p.Status, p.Body)
		}
		if pr, _ = e.db.FindProject(ctx, "e-akte"); pr.Title != "E-Akte (von einer Kollegin geändert)" {
			t.Fatalf("the colleague's change was overwritten: %q", pr.Title)
		}
		// saving again from the conflict view is a deliberate decision
		form.Set("_csrf", p.csrf(t))
		form.Set("version", strconv.Itoa(pr.Version))
		if p := b.post("/verzeichnis/vorhaben/e-akte/bearbeiten", form); p.Status != http.StatusSeeOther {
			t.Fatalf("saving after the conflict: %d", p.Status)
		}
	})
}

// TestBoundEditorReadsOthersProjects: an editor of citeq finds lwl's projects
// read-only: no edit link, and the forms refuse.
func TestBoundEditorReadsOthersProjects(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.signIn("editor-citeq")
		p := b.get("/verzeichnis/vorhaben/dips-kommunal") // lwl and the Stadtarchiv
		if p.Status != http.StatusOK || strings.Contains(p.Body, "/bearbeiten") || strings.Contains(p.Body, "Status ändern") {
			t.Errorf("lwl's project offers editing to citeq's editor")
		}
		if p := b.get("/verzeichnis/vorhaben/dips-kommunal/bearbeiten"); p.Status != http.StatusForbidden {
			t.Errorf("edit form of lwl's project: %d", p.Status)
		}
		if p := b.get("/verzeichnis/vorhaben/it-hotline"); !strings.Contains(p.Body, "/verzeichnis/vorhaben/it-hotline/bearbeiten") {
			t.Errorf("citeq's own project is not editable")
		}
		if p := b.get("/verzeichnis/partner/lwl"); strings.Contains(p.Body, "/bearbeiten") {
			t.Errorf("partner lwl offers editing to citeq's editor")
		}
	})
}

// TestReaderSeesNoMoney: money is on no page of a reader, not even in the source;
// controlling sees it in German format.
func TestReaderSeesNoMoney(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		ctx := coop.WithActor(context.Background(), coop.System)
		pr, err := e.db.FindProject(ctx, "it-hotline")
		if err != nil {
			t.Fatal(err)
		}
		budget, cost := "123456.78", "98765.43"
		d := coop.ProjectDraft{Slug: pr.Slug, Title: pr.Title, Description: pr.Description, Cooperation: pr.Cooperation.Slug,
			Category: pr.Category, Finance: &coop.FinanceDraft{BudgetPlanned: &budget, CostActual: &cost, Currency: "EUR"}}
		for _, pa := range pr.Participants {
			d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: pa.Partner.Slug, Role: pa.Role})
		}
		if _, err := e.db.UpdateProject(ctx, pr.ID, d, pr.Version); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"", "reader", "editor-citeq"} {
			b := e.browser()
			if who != "" {
				b.signIn(who)
			}
			for _, path := range []string{"/", "/verzeichnis/vorhaben", "/verzeichnis/vorhaben/it-hotline",
				"/verzeichnis/vorhaben/it-hotline/bearbeiten", "/en/verzeichnis/vorhaben/it-hotline", "/verzeichnis/partner/citeq"} {
				p := b.get(path)
				for _, money := range []string{"123456", "123.456", "98765", "98.765", "€"} {
					if strings.Contains(p.Body, money) {
						t.Errorf("%q sees %q on %s", who, money, path)
					}
				}
			}
		}
		b := e.browser()
		b.signIn("controlling")
		if p := b.get("/verzeichnis/vorhaben/it-hotline"); !strings.Contains(p.Body, "123.456,78\u00a0€") {
			t.Errorf("controlling does not see the budget in German format")
		}
	})
}
