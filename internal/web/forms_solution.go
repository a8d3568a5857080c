package web

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// registerSolutionForms adds the forms of solutions: create, edit, delete and (admin)
// restore. Solutions are shared by all partners: editors bound to partners may not
// change them (auth.MayEditSolution).
func (s *Site) registerSolutionForms(get, post func(string, handler)) {
	get("/verzeichnis/loesungen/neu", s.handleSolutionNew)
	post("/verzeichnis/loesungen/neu", s.handleSolutionCreate)
	get("/verzeichnis/loesungen/:slug/bearbeiten", s.handleSolutionEdit)
	post("/verzeichnis/loesungen/:slug/bearbeiten", s.handleSolutionUpdate)
	s.registerDeletion(post, s.solutionDeletion())
}

// solutionForm is the create and edit form of a solution.
type solutionForm struct {
	form
	Create   bool
	Slug     string
	Draft    coop.SolutionDraft
	Partners []coop.Ref
}

func draftOfSolution(so coop.Solution) coop.SolutionDraft {
	d := coop.SolutionDraft{Slug: so.Slug, Name: so.Name, Description: so.Description, Category: so.Category, Website: so.Website}
	for _, dev := range so.Developers {
		d.Developers = append(d.Developers, dev.Slug)
	}
	return d
}

func solutionFromForm(c echo.Context, base coop.SolutionDraft) coop.SolutionDraft {
	d := base
	if _, ok := c.Request().PostForm["slug"]; ok {
		d.Slug = strings.TrimSpace(c.FormValue("slug"))
	}
	v := func(n string) string { return strings.TrimSpace(c.FormValue(n)) }
	d.Name, d.Description, d.Category, d.Website = v("name"), v("description"), v("category"), v("website")
	d.Developers = nil
	for _, row := range rows(c, "developers", "partner") {
		d.Developers = append(d.Developers, row["partner"])
	}
	return d
}

// requireSolutionWriter: admins and editors not bound to partners.
func (r *request) requireSolutionWriter() error {
	if err := r.requireWriter(); err != nil {
		return err
	}
	if !auth.MayEditSolution(r.p) {
		return coop.Errorf(coop.EForbidden, "%s", r.T("Lösungen teilen sich alle Partner: an Partner gebundene Zugänge können sie nur lesen."))
	}
	return nil
}

func (s *Site) renderSolutionForm(c echo.Context, r *request, f *solutionForm) error {
	partners, err := s.svc.FindPartners(c.Request().Context(), coop.PartnerFilter{Page: coop.Page{Limit: 500}})
	if err != nil {
		return err
	}
	for _, p := range partners.Items {
		f.Partners = append(f.Partners, coop.Ref{ID: p.ID, Slug: p.Slug, Name: p.Name})
	}
	title := r.T("Neue Lösung")
	if !f.Create {
		title = r.T("Lösung bearbeiten") + ": " + f.Draft.Name
	}
	return r.render(f.status(), "solution_form", title, f)
}

func (s *Site) handleSolutionNew(c echo.Context, r *request) error {
	if err := r.requireSolutionWriter(); err != nil {
		return err
	}
	f := &solutionForm{Create: true}
	f.Action = r.url("/verzeichnis/loesungen/neu")
	f.Draft.Developers = []string{""}
	return s.renderSolutionForm(c, r, f)
}

func (s *Site) handleSolutionCreate(c echo.Context, r *request) error {
	if err := r.requireSolutionWriter(); err != nil {
		return err
	}
	f := &solutionForm{Create: true}
	f.Action = r.url("/verzeichnis/loesungen/neu")
	f.Draft = solutionFromForm(c, coop.SolutionDraft{})
	if editsRows(c, &f.Draft.Developers) {
		return s.renderSolutionForm(c, r, f)
	}
	return s.save(c, r, &f.form, stored{}, func(ctx context.Context) (string, error) {
		so, err := s.svc.CreateSolution(ctx, f.Draft)
		return r.url("/verzeichnis/loesungen/" + so.Slug), err
	}, func() error { return s.renderSolutionForm(c, r, f) })
}

func (s *Site) loadEditableSolution(c echo.Context, r *request) (coop.Solution, error) {
	if err := r.requireSolutionWriter(); err != nil {
		return coop.Solution{}, err
	}
	return s.svc.FindSolution(c.Request().Context(), c.Param("slug"))
}

func (s *Site) handleSolutionEdit(c echo.Context, r *request) error {
	so, err := s.loadEditableSolution(c, r)
	if err != nil {
		return err
	}
	f := &solutionForm{Slug: so.Slug, Draft: draftOfSolution(so)}
	f.Action, f.Version, f.CanDelete = r.url("/verzeichnis/loesungen/"+so.Slug+"/bearbeiten"), so.Version, true
	if len(f.Draft.Developers) == 0 {
		f.Draft.Developers = []string{""}
	}
	return s.renderSolutionForm(c, r, f)
}

func (s *Site) handleSolutionUpdate(c echo.Context, r *request) error {
	so, err := s.loadEditableSolution(c, r)
	if err != nil {
		return err
	}
	f := &solutionForm{Slug: so.Slug}
	f.Action, f.Version, f.CanDelete = r.url("/verzeichnis/loesungen/"+so.Slug+"/bearbeiten"), formInt(c, "version"), true
	f.Draft = solutionFromForm(c, draftOfSolution(so))
	if editsRows(c, &f.Draft.Developers) {
		return s.renderSolutionForm(c, r, f)
	}
	return s.save(c, r, &f.form, stored{coop.TypeSolution, so.ID, so.Version}, func(ctx context.Context) (string, error) {
		saved, err := s.svc.UpdateSolution(ctx, so.ID, f.Draft, max(f.Version, 1))
		return r.url("/verzeichnis/loesungen/" + saved.Slug), err
	}, func() error { return s.renderSolutionForm(c, r, f) })
}
