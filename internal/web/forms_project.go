package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// projectForm is the create and edit form of a project.
type projectForm struct {
	form
	Create       bool
	Slug         string // the stored slug (edit)
	Draft        coop.ProjectDraft
	Finance      bool // the caller may see and write money
	Cooperations []coop.Ref
	Solutions    []coop.Ref
	Partners     []coop.Ref
	Bound        bool // a partner-bound editor: only its partners' projects
}

// draftOfProject is the form's starting point for a stored project: every field as the
// API's merge patch would start from it, money included (kept for callers who may not
// see it, so that saving the form never clears it).
func draftOfProject(p coop.Project) coop.ProjectDraft {
	d := coop.ProjectDraft{
		Slug: p.Slug, Title: p.Title, Description: p.Description, Cooperation: p.Cooperation.Slug,
		Category: p.Category, StartedOn: p.StartedOn.String(), PlannedEndOn: p.PlannedEndOn.String(),
		EndedOn: p.EndedOn.String(), LegalBasis: p.LegalBasis, Tags: p.Tags,
	}
	if p.Solution != nil {
		d.Solution = p.Solution.Slug
	}
	for _, pa := range p.Participants {
		d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: pa.Partner.Slug, Role: pa.Role,
			Since: pa.Since.String(), Until: pa.Until.String()})
	}
	for _, s := range p.Sources {
		d.Sources = append(d.Sources, coop.SourceDraft{Title: s.Title, URL: s.URL, PublishedOn: s.PublishedOn.String()})
	}
	d.Finance = &coop.FinanceDraft{Currency: "EUR", BudgetPlanned: centsText(p.Finance.BudgetPlanned),
		CostActual: centsText(p.Finance.CostActual), SavingsEstimated: centsText(p.Finance.SavingsEstimated)}
	return d
}

func centsText(c *coop.Cents) *string {
	if c == nil {
		return nil
	}
	s := c.String()
	return &s
}

// projectFromForm reads the posted form over base (the stored project, or an empty
// draft): participants as rows, lists as lines or commas, money only from callers who
// may write it.
func projectFromForm(c echo.Context, base coop.ProjectDraft, finance bool) coop.ProjectDraft {
	d := base
	if _, ok := c.Request().PostForm["slug"]; ok {
		d.Slug = strings.TrimSpace(c.FormValue("slug"))
	}
	d.Title = strings.TrimSpace(c.FormValue("title"))
	d.Description = strings.TrimSpace(c.FormValue("description"))
	d.Cooperation = c.FormValue("cooperation")
	d.Solution = c.FormValue("solution")
	d.Category = c.FormValue("category")
	d.StartedOn = strings.TrimSpace(c.FormValue("started_on"))
	d.PlannedEndOn = strings.TrimSpace(c.FormValue("planned_end_on"))
	d.EndedOn = strings.TrimSpace(c.FormValue("ended_on"))
	d.LegalBasis = lines(c.FormValue("legal_basis"))
	d.Tags = commaList(c.FormValue("tags"))
	d.Participants = nil
	for _, row := range rows(c, "participants", "partner", "role", "since", "until") {
		d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: row["partner"], Role: row["role"],
			Since: row["since"], Until: row["until"]})
	}
	if finance {
		d.Finance = &coop.FinanceDraft{Currency: "EUR", BudgetPlanned: optMoney(c.FormValue("finance.budget_planned")),
			CostActual: optMoney(c.FormValue("finance.cost_actual")), SavingsEstimated: optMoney(c.FormValue("finance.savings_estimated"))}
	}
	return d
}

// options fills the selects of the form: cooperations, solutions and partners.
func (s *Site) projectOptions(c echo.Context, f *projectForm) error {
	ctx := c.Request().Context()
	coops, err := s.svc.FindCooperations(ctx, coop.CooperationFilter{Page: coop.Page{Limit: 500}})
	if err != nil {
		return err
	}
	for _, co := range coops.Items {
		f.Cooperations = append(f.Cooperations, coop.Ref{ID: co.ID, Slug: co.Slug, Name: co.Title})
	}
	sols, err := s.svc.FindSolutions(ctx, coop.SolutionFilter{Page: coop.Page{Limit: 500}})
	if err != nil {
		return err
	}
	for _, so := range sols.Items {
		f.Solutions = append(f.Solutions, coop.Ref{ID: so.ID, Slug: so.Slug, Name: so.Name})
	}
	partners, err := s.svc.FindPartners(ctx, coop.PartnerFilter{Page: coop.Page{Limit: 500}})
	if err != nil {
		return err
	}
	for _, p := range partners.Items {
		f.Partners = append(f.Partners, coop.Ref{ID: p.ID, Slug: p.Slug, Name: p.Name})
	}
	return nil
}

// renderProjectForm shows the form; an "add participant" press adds an empty row.
func (s *Site) renderProjectForm(c echo.Context, r *request, f *projectForm) error {
	if err := s.projectOptions(c, f); err != nil {
		return err
	}
	f.Bound = r.p.Bound()
	if !f.Finance {
		f.Draft.Finance = nil // never in the page of a caller who may not see money
	}
	title := r.T("Neues Vorhaben")
	if !f.Create {
		title = r.T("Vorhaben bearbeiten") + ": " + f.Draft.Title
	}
	return r.render(f.status(), "project_form", title, f)
}

func (s *Site) handleProjectNew(c echo.Context, r *request) error {
	if err := r.requireWriter(); err != nil {
		return err
	}
	f := &projectForm{Create: true, Finance: r.seesFinance()}
	f.Action = r.url("/verzeichnis/vorhaben/neu")
	f.Draft.Participants = []coop.ParticipantDraft{{}, {}}
	if r.p.Bound() {
		// a bound editor's project must include one of its partners: offer the first
		f.Draft.Participants[0].Partner = r.p.Partners[0]
	}
	return s.renderProjectForm(c, r, f)
}

func (s *Site) handleProjectCreate(c echo.Context, r *request) error {
	if err := r.requireWriter(); err != nil {
		return err
	}
	f := &projectForm{Create: true, Finance: r.seesFinance()}
	f.Action = r.url("/verzeichnis/vorhaben/neu")
	f.Draft = projectFromForm(c, coop.ProjectDraft{}, f.Finance)
	if editsRows(c, &f.Draft.Participants) {
		return s.renderProjectForm(c, r, f)
	}
	return s.save(c, r, &f.form, stored{}, func(ctx context.Context) (string, error) {
		p, err := s.svc.CreateProject(ctx, f.Draft)
		return r.url("/verzeichnis/vorhaben/" + p.Slug), err
	}, func() error { return s.renderProjectForm(c, r, f) })
}

// loadEditable reads the project and checks that the caller may change it (the bound
// editor's partners take part); the store checks it again when writing.
func (s *Site) loadEditable(c echo.Context, r *request) (coop.Project, error) {
	if err := r.requireWriter(); err != nil {
		return coop.Project{}, err
	}
	p, err := s.svc.FindProject(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return coop.Project{}, err
	}
	ids := participantIDs(p)
	if !auth.MayEditProject(r.p, ids, ids) {
		return coop.Project{}, coop.Errorf(coop.EForbidden, "%s", r.T("Dieses Vorhaben gehört nicht zu Ihren Partnern; Sie können es nur lesen."))
	}
	return p, nil
}

func (s *Site) handleProjectEdit(c echo.Context, r *request) error {
	p, err := s.loadEditable(c, r)
	if err != nil {
		return err
	}
	f := &projectForm{Slug: p.Slug, Draft: draftOfProject(p), Finance: r.seesFinance()}
	f.Action, f.Version, f.CanDelete = r.url("/verzeichnis/vorhaben/"+p.Slug+"/bearbeiten"), p.Version, true
	for _, pa := range p.Participants {
		f.lock(r.p, pa.Partner, pa.Role)
	}
	return s.renderProjectForm(c, r, f)
}

func (s *Site) handleProjectUpdate(c echo.Context, r *request) error {
	p, err := s.loadEditable(c, r)
	if err != nil {
		return err
	}
	f := &projectForm{Slug: p.Slug, Finance: r.seesFinance()}
	f.Action, f.CanDelete = r.url("/verzeichnis/vorhaben/"+p.Slug+"/bearbeiten"), true
	f.Version = formInt(c, "version")
	f.Draft = projectFromForm(c, draftOfProject(p), f.Finance)
	for _, pa := range p.Participants {
		f.lock(r.p, pa.Partner, pa.Role)
	}
	if editsRows(c, &f.Draft.Participants) {
		return s.renderProjectForm(c, r, f)
	}
	return s.save(c, r, &f.form, stored{coop.TypeProject, p.ID, p.Version}, func(ctx context.Context) (string, error) {
		saved, err := s.svc.UpdateProject(ctx, p.ID, f.Draft, max(f.Version, 1))
		return r.url("/verzeichnis/vorhaben/" + saved.Slug), err
	}, func() error { return s.renderProjectForm(c, r, f) })
}

// statusForm is the form of a status transition of a project or a cooperation.
type statusForm struct {
	form
	Back        string // the resource's page
	Status      string // its status now
	Enum        string // "status" or "coop_status"
	Allowed     []string
	To          string
	EffectiveOn string
	Reason      string
}

func (s *Site) handleProjectStatusForm(c echo.Context, r *request) error {
	p, err := s.loadEditable(c, r)
	if err != nil {
		return err
	}
	f := projectStatusForm(r, p)
	f.Version = p.Version
	return r.render(http.StatusOK, "status_form", r.T("Status ändern")+": "+p.Title, f)
}

func projectStatusForm(r *request, p coop.Project) *statusForm {
	f := &statusForm{Back: r.url("/verzeichnis/vorhaben/" + p.Slug), Status: p.Status, Enum: "status",
		Allowed: coop.ProjectMachine.Allowed(p.Status)}
	f.Action = r.url("/verzeichnis/vorhaben/" + p.Slug + "/status")
	return f
}

func (s *Site) handleProjectTransition(c echo.Context, r *request) error {
	p, err := s.loadEditable(c, r)
	if err != nil {
		return err
	}
	f := projectStatusForm(r, p)
	return s.transition(c, r, f, p.Title, coop.TypeProject, p.ID, p.Version,
		func(ctx context.Context, t coop.Transition, version int) error {
			_, err := s.svc.TransitionProject(ctx, p.ID, t, version)
			return err
		})
}

// transition reads the posted status form and applies it with the version the form
// was loaded with; problems and a conflicting change are shown on the form again.
func (s *Site) transition(c echo.Context, r *request, f *statusForm, title, typ, id string, current int,
	apply func(ctx context.Context, t coop.Transition, version int) error) error {
	f.To, f.EffectiveOn, f.Reason = c.FormValue("to"), strings.TrimSpace(c.FormValue("effective_on")), strings.TrimSpace(c.FormValue("reason"))
	f.Version = formInt(c, "version")
	title = r.T("Status ändern") + ": " + title
	if f.To == "" {
		f.invalid(r, "to", "Bitte wählen Sie den neuen Status.")
	}
	return s.save(c, r, &f.form, stored{typ, id, current}, func(ctx context.Context) (string, error) {
		return f.Back, apply(ctx, coop.Transition{To: f.To, EffectiveOn: f.EffectiveOn, Reason: f.Reason}, max(f.Version, 1))
	}, func() error { return r.render(f.status(), "status_form", title, f) })
}
