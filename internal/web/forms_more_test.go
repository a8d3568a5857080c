package web_test

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// TestCooperationForms: an editor bound to citeq edits the seed's cooperation, where
// the other partners' memberships are read-only and kept; creates a cooperation (a bad
// date shown at its field first), moves it to active with a date and a reason that
// the timeline shows, gets the conflict view for a change made in between, deletes it,
// and an admin restores it. A cooperation with projects is not deleted.
func TestCooperationForms(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		ctx := context.Background()
		b := e.browser()
		b.signIn("editor-citeq")
		const seedCoop = "/verzeichnis/kooperationen/it-kooperation-muenster-lwl"
		if p := b.get(seedCoop); !strings.Contains(p.Body, seedCoop+"/bearbeiten") || !strings.Contains(p.Body, seedCoop+"/status") {
			t.Errorf("citeq's cooperation offers no editing to citeq's editor")
		}
		edit := b.get(seedCoop + "/bearbeiten")
		if edit.Status != http.StatusOK || strings.Count(edit.Body, "participant--locked") != 3 ||
			!strings.Contains(edit.Body, `<input type="hidden" name="members[1].partner" value="lwl">`) ||
			strings.Contains(edit.Body, `<select class="kern-form-input__select" id="f-members-1-partner"`) ||
			!strings.Contains(edit.Body, `id="f-members-2-partner"`) {
			t.Fatalf("edit form: %d, want lwl, stadt-muenster and lwl-it read-only, citeq editable:\n%s", edit.Status, edit.Body)
		}
		co, _ := e.db.FindCooperation(ctx, "it-kooperation-muenster-lwl")
		form := url.Values{"_csrf": {edit.csrf(t)}, "version": {strconv.Itoa(co.Version)}, "title": {"IT-Kooperation Münster – LWL"},
			"legal_form": {"letter_of_intent"}, "started_on": {"2016-11"}, "legal_basis": {"EGovG NRW"},
			"members[0].partner": {"stadt-muenster"}, "members[0].role": {"party"}, "members[1].partner": {"lwl"}, "members[1].role": {"party"},
			"members[2].partner": {"citeq"}, "members[2].role": {"implementer"}, "members[3].partner": {"lwl-it"}, "members[3].role": {"implementer"}}
		if p := b.post(seedCoop+"/bearbeiten", form); p.Status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", p.Status, p.Body)
		}
		if co, _ = e.db.FindCooperation(ctx, co.ID); co.Title != "IT-Kooperation Münster – LWL" || len(co.Members) != 4 || len(co.Sources) != 1 {
			t.Errorf("after the save: %q, %d members, %d sources", co.Title, len(co.Members), len(co.Sources))
		}

		nf := b.get("/verzeichnis/kooperationen/neu")
		create := url.Values{"_csrf": {nf.csrf(t)}, "version": {"0"}, "slug": {"rz-verbund"}, "title": {"Rechenzentrumsverbund"},
			"legal_form": {"public_law_agreement"}, "started_on": {"2019-13"}, "notice_period_months": {"12"}, "procurement_exempt": {"true"},
			"members[0].partner": {"citeq"}, "members[0].role": {"party"}, "members[1].partner": {"stadt-muenster"}, "members[1].role": {"party"}}
		p := b.post("/verzeichnis/kooperationen/neu", create)
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `id="f-started-on-error"`) || !strings.Contains(p.Body, `href="#f-started-on"`) {
			t.Fatalf("bad date: %d\n%s", p.Status, p.Body)
		}
		create.Set("started_on", "2019-03")
		if p := b.post("/verzeichnis/kooperationen/neu", create); p.Status != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", p.Status, p.Body)
		}
		rz, err := e.db.FindCooperation(ctx, "rz-verbund")
		if err != nil || rz.Status != "planned" || len(rz.Members) != 2 || rz.NoticePeriodMonths == nil || *rz.NoticePeriodMonths != 12 ||
			rz.ProcurementExempt == nil || !*rz.ProcurementExempt {
			t.Fatalf("created: %+v %v", rz, err)
		}

		sf := b.get("/verzeichnis/kooperationen/rz-verbund/status")
		if !strings.Contains(sf.Body, `id="to-active"`) {
			t.Fatalf("status form:\n%s", sf.Body)
		}
		if p := b.post("/verzeichnis/kooperationen/rz-verbund/status", url.Values{"_csrf": {sf.csrf(t)}, "version": {"1"},
			"to": {"active"}, "effective_on": {"2019-05"}, "reason": {"Vereinbarung unterzeichnet"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("transition: %d\n%s", p.Status, p.Body)
		}
		if p := b.get("/verzeichnis/kooperationen/rz-verbund"); !strings.Contains(p.Body, "Vereinbarung unterzeichnet") || !strings.Contains(p.Body, `datetime="2019-05"`) {
			t.Errorf("the timeline lacks the transition:\n%s", p.Body)
		}

		rz, _ = e.db.FindCooperation(ctx, "rz-verbund")
		edit = b.get("/verzeichnis/kooperationen/rz-verbund/bearbeiten")
		admin := coop.WithActor(ctx, coop.Actor{Type: coop.ActorToken, ID: "a", Name: "Kollegin", Roles: []string{"admin"}})
		d := coop.CooperationDraft{Slug: rz.Slug, Title: "Rechenzentrumsverbund (von einer Kollegin geändert)", LegalForm: rz.LegalForm,
			StartedOn: "2019-03", Members: []coop.MemberDraft{{Partner: "citeq", Role: "party"}, {Partner: "stadt-muenster", Role: "party"}}}
		if _, err := e.db.UpdateCooperation(admin, rz.ID, d, rz.Version); err != nil {
			t.Fatal(err)
		}
		create.Del("slug")
		create.Set("_csrf", edit.csrf(t))
		create.Set("version", strconv.Itoa(rz.Version))
		create.Set("title", "Mein Verbund")
		if p := b.post("/verzeichnis/kooperationen/rz-verbund/bearbeiten", create); p.Status != http.StatusConflict || !strings.Contains(p.Body, "von einer Kollegin geändert") {
			t.Fatalf("conflict view: %d\n%s", p.Status, p.Body)
		}

		rz, _ = e.db.FindCooperation(ctx, "rz-verbund")
		if p := b.post("/verzeichnis/kooperationen/rz-verbund/loeschen", url.Values{"_csrf": {edit.csrf(t)}, "version": {strconv.Itoa(rz.Version)}}); p.Status != http.StatusOK ||
			!strings.Contains(p.Body, "ist gelöscht") || strings.Contains(p.Body, "wiederherstellen") {
			t.Fatalf("delete: %d\n%s", p.Status, p.Body)
		}
		if _, err := e.db.FindCooperation(ctx, "rz-verbund"); coop.ErrorCode(err) != coop.ENotFound {
			t.Fatalf("still there after the delete: %v", err)
		}
		if p := b.post(seedCoop+"/loeschen", url.Values{"_csrf": {edit.csrf(t)}, "version": {strconv.Itoa(co.Version)}}); p.Status != http.StatusConflict ||
			!strings.Contains(p.Body, "lässt sich nicht löschen, solange diese Einträge darauf verweisen:") ||
			!strings.Contains(p.Body, `<li>Vorhaben: <a class="kern-link" href="/verzeichnis/vorhaben/`) ||
			!strings.Contains(p.Body, `<a class="kern-link" href="/verzeichnis/vorhaben/dips-kommunal">DiPS.kommunal im Stadtarchiv Münster</a>`) {
			t.Errorf("delete of a cooperation with projects: %d\n%s", p.Status, p.Body)
		}
		if p := b.post("/verzeichnis/kooperationen/rz-verbund/wiederherstellen", url.Values{"_csrf": {edit.csrf(t)}}); p.Status != http.StatusForbidden {
			t.Errorf("an editor restores: %d", p.Status)
		}
		a := e.browser()
		a.signIn("admin")
		tok := a.get("/verzeichnis/kooperationen/neu").csrf(t)
		if p := a.post("/verzeichnis/kooperationen/rz-verbund/wiederherstellen", url.Values{"_csrf": {tok}}); p.Status != http.StatusSeeOther {
			t.Fatalf("restore: %d\n%s", p.Status, p.Body)
		}
		if _, err := e.db.FindCooperation(ctx, "rz-verbund"); err != nil {
			t.Errorf("not restored: %v", err)
		}
	})
}

// TestSolutionForms: solutions are shared, so citeq's editor may only read them; an
// admin creates one with two developers (a bad website shown at its field first),
// changes it, deletes and restores it. A solution in use is not deleted.
func TestSolutionForms(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		ctx := context.Background()
		ed := e.browser()
		ed.signIn("editor-citeq")
		if p := ed.get("/verzeichnis/loesungen/dips-kommunal"); strings.Contains(p.Body, "/bearbeiten") {
			t.Errorf("a bound editor is offered to edit a solution")
		}
		if p := ed.get("/verzeichnis/loesungen"); strings.Contains(p.Body, "/verzeichnis/loesungen/neu") {
			t.Errorf("a bound editor is offered to create a solution")
		}
		if p := ed.get("/verzeichnis/loesungen/neu"); p.Status != http.StatusForbidden {
			t.Errorf("new solution form for a bound editor: %d", p.Status)
		}

		b := e.browser()
		b.signIn("admin")
		nf := b.get("/verzeichnis/loesungen/neu")
		form := url.Values{"_csrf": {nf.csrf(t)}, "version": {"0"}, "slug": {"e-akte-kommunal"}, "name": {"E-Akte kommunal"},
			"category": {"software"}, "website": {"keine-adresse"},
			"developers[0].partner": {"citeq"}, "developers[1].partner": {"lwl-it"}}
		p := b.post("/verzeichnis/loesungen/neu", form)
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `id="f-website-error"`) {
			t.Fatalf("bad website: %d\n%s", p.Status, p.Body)
		}
		form.Set("website", "https://e-akte.example.org")
		if p := b.post("/verzeichnis/loesungen/neu", form); p.Status != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", p.Status, p.Body)
		}
		so, err := e.db.FindSolution(ctx, "e-akte-kommunal")
		if err != nil || len(so.Developers) != 2 {
			t.Fatalf("created: %+v %v", so, err)
		}
		if p := b.get("/verzeichnis/loesungen/e-akte-kommunal"); !strings.Contains(p.Body, "/verzeichnis/loesungen/e-akte-kommunal/bearbeiten") ||
			!strings.Contains(p.Body, "LWL.IT") {
			t.Errorf("solution page:\n%s", p.Body)
		}
		edit := b.get("/verzeichnis/loesungen/e-akte-kommunal/bearbeiten")
		form.Del("slug")
		form.Set("_csrf", edit.csrf(t))
		form.Set("version", strconv.Itoa(so.Version))
		form.Set("remove", "developers[1]")
		if p := b.post("/verzeichnis/loesungen/e-akte-kommunal/bearbeiten", form); p.Status != http.StatusOK ||
			strings.Contains(p.Body, `name="developers[1].partner"`) {
			t.Fatalf("removing a developer row: %d\n%s", p.Status, p.Body)
		}
		form.Del("remove")
		form.Set("name", "E-Akte kommunal 2")
		form.Del("developers[1].partner")
		if p := b.post("/verzeichnis/loesungen/e-akte-kommunal/bearbeiten", form); p.Status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", p.Status, p.Body)
		}
		if so, _ = e.db.FindSolution(ctx, so.ID); so.Name != "E-Akte kommunal 2" || len(so.Developers) != 1 {
			t.Errorf("after the save: %q, %d developers", so.Name, len(so.Developers))
		}
		p = b.post("/verzeichnis/loesungen/e-akte-kommunal/loeschen", url.Values{"_csrf": {edit.csrf(t)}, "version": {strconv.Itoa(so.Version)}})
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "/verzeichnis/loesungen/e-akte-kommunal/wiederherstellen") {
			t.Fatalf("delete: %d\n%s", p.Status, p.Body)
		}
		if p := b.post("/verzeichnis/loesungen/e-akte-kommunal/wiederherstellen", url.Values{"_csrf": {p.csrf(t)}}); p.Status != http.StatusSeeOther {
			t.Fatalf("restore: %d\n%s", p.Status, p.Body)
		}
		if _, err := e.db.FindSolution(ctx, "e-akte-kommunal"); err != nil {
			t.Errorf("not restored: %v", err)
		}
		dips, _ := e.db.FindSolution(ctx, "dips-kommunal")
		if p := b.post("/verzeichnis/loesungen/dips-kommunal/loeschen", url.Values{"_csrf": {edit.csrf(t)}, "version": {strconv.Itoa(dips.Version)}}); p.Status != http.StatusConflict {
			t.Errorf("delete of a solution in use: %d", p.Status)
		}
	})
}

// TestBoundEditorProjectRows: in the edit form of citeq's project, lwl-it's
// participation is read-only for citeq's editor and kept when the form is saved.
func TestBoundEditorProjectRows(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.signIn("editor-citeq")
		edit := b.get("/verzeichnis/vorhaben/it-hotline/bearbeiten")
		if strings.Count(edit.Body, "participant--locked") != 1 || !strings.Contains(edit.Body, `<input type="hidden" name="participants[0].partner" value="lwl-it">`) ||
			!strings.Contains(edit.Body, `id="f-participants-1-partner"`) {
			t.Fatalf("edit form: want lwl-it read-only and citeq editable:\n%s", edit.Body)
		}
		pr, _ := e.db.FindProject(context.Background(), "it-hotline")
		form := url.Values{"_csrf": {edit.csrf(t)}, "version": {strconv.Itoa(pr.Version)}, "title": {"IT-Hotline"},
			"cooperation": {pr.Cooperation.Slug}, "category": {pr.Category},
			"participants[0].partner": {"lwl-it"}, "participants[0].role": {"provider"},
			"participants[1].partner": {"citeq"}, "participants[1].role": {"consumer"}}
		if p := b.post("/verzeichnis/vorhaben/it-hotline/bearbeiten", form); p.Status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", p.Status, p.Body)
		}
		if pr, _ = e.db.FindProject(context.Background(), "it-hotline"); pr.Title != "IT-Hotline" || len(pr.Participants) != 2 {
			t.Errorf("after the save: %q %d participants", pr.Title, len(pr.Participants))
		}
	})
}

// TestPartnerDeleteRestore: an editor creates a partner, deletes it through its edit
// form (it is gone from the directory) and may not restore it; an admin restores it.
// citeq, which projects, cooperations and solutions still refer to, is not deleted:
// the page names what refers to it, each linked, in German and in English.
func TestPartnerDeleteRestore(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		ctx := coop.WithActor(context.Background(), coop.System)
		_, secret, err := e.db.CreateToken(ctx, coop.TokenDraft{Name: "Redaktion", Roles: []string{"editor"}})
		if err != nil {
			t.Fatal(err)
		}
		e.tokens["editor"] = secret
		b := e.browser()
		b.signIn("editor")
		nf := b.get("/verzeichnis/partner/neu")
		if p := b.post("/verzeichnis/partner/neu", url.Values{"_csrf": {nf.csrf(t)}, "version": {"0"}, "slug": {"kreis-warendorf"},
			"name": {"Kreis Warendorf"}, "type": {"district"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", p.Status, p.Body)
		}
		kw, err := e.db.FindPartner(ctx, "kreis-warendorf")
		if err != nil {
			t.Fatal(err)
		}
		edit := b.get("/verzeichnis/partner/kreis-warendorf/bearbeiten")
		if !strings.Contains(edit.Body, `action="/verzeichnis/partner/kreis-warendorf/loeschen"`) || !strings.Contains(edit.Body, "Partner löschen") {
			t.Fatalf("the edit form offers no delete:\n%s", edit.Body)
		}
		p := b.post("/verzeichnis/partner/kreis-warendorf/loeschen", url.Values{"_csrf": {edit.csrf(t)}, "version": {strconv.Itoa(kw.Version)}})
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "„Kreis Warendorf“ ist gelöscht.") || strings.Contains(p.Body, "wiederherstellen") {
			t.Fatalf("delete: %d\n%s", p.Status, p.Body)
		}
		if _, err := e.db.FindPartner(ctx, "kreis-warendorf"); coop.ErrorCode(err) != coop.ENotFound {
			t.Fatalf("still there after the delete: %v", err)
		}
		if p := b.get("/verzeichnis/partner/kreis-warendorf"); p.Status != http.StatusNotFound {
			t.Errorf("the deleted partner's page: %d", p.Status)
		}
		if p := b.post("/verzeichnis/partner/kreis-warendorf/wiederherstellen", url.Values{"_csrf": {edit.csrf(t)}}); p.Status != http.StatusForbidden ||
			!strings.Contains(p.Body, "Nur die Administration darf gelöschte Einträge wiederherstellen.") {
			t.Errorf("an editor restores: %d", p.Status)
		}
		if _, err := e.db.FindPartner(ctx, "kreis-warendorf"); coop.ErrorCode(err) != coop.ENotFound {
			t.Fatalf("restored by an editor: %v", err)
		}

		a := e.browser()
		a.signIn("admin")
		ae := a.get("/verzeichnis/partner/citeq/bearbeiten")
		if p := a.post("/verzeichnis/partner/kreis-warendorf/wiederherstellen", url.Values{"_csrf": {ae.csrf(t)}}); p.Status != http.StatusSeeOther ||
			p.Header.Get("Location") != "/verzeichnis/partner/kreis-warendorf?gespeichert=1" {
			t.Fatalf("restore: %d %q\n%s", p.Status, p.Header.Get("Location"), p.Body)
		}
		if p := a.get("/verzeichnis/partner/kreis-warendorf"); p.Status != http.StatusOK || !strings.Contains(p.Body, "Kreis Warendorf") {
			t.Errorf("the restored partner's page: %d", p.Status)
		}

		citeq, _ := e.db.FindPartner(ctx, "citeq")
		co, _ := e.db.FindCooperation(ctx, "it-kooperation-muenster-lwl")
		hotline, _ := e.db.FindProject(ctx, "it-hotline")
		for _, lang := range []struct{ prefix, intro, coop, project string }{
			{"", "„citeq“ lässt sich nicht löschen, solange diese Einträge darauf verweisen:", "<li>Kooperationen: ", "<li>Vorhaben: "},
			{"/en", "“citeq” cannot be deleted while these entries refer to it:", "<li>Cooperations: ", "<li>Projects: "},
		} {
			p := a.post(lang.prefix+"/verzeichnis/partner/citeq/loeschen", url.Values{"_csrf": {ae.csrf(t)}, "version": {strconv.Itoa(citeq.Version)}})
			link := func(kind, path, name string) string {
				return kind + `<a class="kern-link" href="` + lang.prefix + path + `">` + template.HTMLEscapeString(name) + `</a>`
			}
			if p.Status != http.StatusConflict || !strings.Contains(p.Body, lang.intro) ||
				!strings.Contains(p.Body, link(lang.coop, "/verzeichnis/kooperationen/"+co.Slug, co.Title)) ||
				!strings.Contains(p.Body, lang.project+`<a class="kern-link" href="`+lang.prefix+`/verzeichnis/vorhaben/`) ||
				!strings.Contains(p.Body, link("", "/verzeichnis/vorhaben/"+hotline.Slug, hotline.Title)) {
				t.Errorf("%s: delete of a partner still referred to: %d\n%s", lang.prefix, p.Status, p.Body)
			}
		}
		if _, err := e.db.FindPartner(ctx, "citeq"); err != nil {
			t.Errorf("citeq deleted: %v", err)
		}
	})
}
