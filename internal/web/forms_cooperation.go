package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// registerCooperationForms adds the forms of cooperations: create, edit, status,
// delete and (admin) restore, like the project's.
func (s *Site) registerCooperationForms(get, post func(string, handler)) {
	get("/verzeichnis/kooperationen/neu", s.handleCooperationNew)
	post("/verzeichnis/kooperationen/neu", s.handleCooperationCreate)
	get("/verzeichnis/kooperationen/:slug/bearbeiten", s.handleCooperationEdit)
	post("/verzeichnis/kooperationen/:slug/bearbeiten", s.handleCooperationUpdate)
	get("/verzeichnis/kooperationen/:slug/status", s.handleCooperationStatusForm)
	post("/verzeichnis/kooperationen/:slug/status", s.handleCooperationTransition)
	s.registerDeletion(post, s.cooperationDeletion())
}

// cooperationForm is the create and edit form of a cooperation.
type cooperationForm struct {
	form
	Create   bool
	Slug     string
	Draft    coop.CooperationDraft
	Notice   string // notice period in months, as typed
	Exempt   string // procurement exemption: "", "true", "false"
	Partners []coop.Ref
	Bound    bool
}

func draftOfCooperation(co coop.Cooperation) coop.CooperationDraft {
	d := coop.CooperationDraft{Slug: co.Slug, Title: co.Title, Description: co.Description, LegalForm: co.LegalForm,
		StartedOn: co.StartedOn.String(), EndedOn: co.EndedOn.String(), LegalBasis: co.LegalBasis,
		NoticePeriodMonths: co.NoticePeriodMonths, VATTreatment: co.VATTreatment, ProcurementExempt: co.ProcurementExempt}
	for _, m := range co.Members {
		d.Members = append(d.Members, coop.MemberDraft{Partner: m.Partner.Slug, Role: m.Role})
	}
	for _, s := range co.Sources {
		d.Sources = append(d.Sources, coop.SourceDraft{Title: s.Title, URL: s.URL, PublishedOn: s.PublishedOn.String()})
	}
	return d
}

// cooperationFromForm reads the posted form over base; a notice period that is no
// whole number is reported at its field.
func cooperationFromForm(c echo.Context, r *request, base coop.CooperationDraft, f *cooperationForm) coop.CooperationDraft {
	d := base
	if _, ok := c.Request().PostForm["slug"]; ok {
		d.Slug = strings.TrimSpace(c.FormValue("slug"))
	}
	v := func(n string) string { return strings.TrimSpace(c.FormValue(n)) }
	d.Title, d.Description, d.LegalForm = v("title"), v("description"), v("legal_form")
	d.StartedOn, d.EndedOn, d.VATTreatment = v("started_on"), v("ended_on"), v("vat_treatment")
	d.LegalBasis = lines(c.FormValue("legal_basis"))
	d.Members = nil
	for _, row := range rows(c, "members", "partner", "role") {
		d.Members = append(d.Members, coop.MemberDraft{Partner: row["partner"], Role: row["role"]})
	}
	f.Notice, f.Exempt = v("notice_period_months"), v("procurement_exempt")
	d.NoticePeriodMonths = nil
	if f.Notice != "" {
		n, err := strconv.Atoi(f.Notice)
		if err != nil {
			f.invalid(r, "notice_period_months", "Bitte eine ganze Zahl angeben")
		}
		d.NoticePeriodMonths = &n
	}
	d.ProcurementExempt = nil
	if f.Exempt == "true" || f.Exempt == "false" {
		b := f.Exempt == "true"
		d.ProcurementExempt = &b
	}
	return d
}

func (s *Site) renderCooperationForm(c echo.Context, r *request, f *cooperationForm) error {
	partners, err := s.svc.FindPartners(c.Request().Context(), coop.PartnerFilter{Page: coop.Page{Limit: 500}})
	if err != nil {
		return err
	}
	for _, p := range partners.Items {
		f.Partners = append(f.Partners, coop.Ref{ID: p.ID, Slug: p.Slug, Name: p.Name})
	}
	f.Bound = r.p.Bound()
	title := r.T("Neue Kooperation")
	if !f.Create {
		title = r.T("Kooperation bearbeiten") + ": " + f.Draft.Title
	}
	return r.render(f.status(), "cooperation_form", title, f)
}

func (s *Site) handleCooperationNew(c echo.Context, r *request) error {
	if err := r.requireWriter(); err != nil {
		return err
	}
	f := &cooperationForm{Create: true}
	f.Action = r.url("/verzeichnis/kooperationen/neu")
	f.Draft.Members = []coop.MemberDraft{{}, {}}
	if r.p.Bound() {
		// a bound editor's cooperation must have one of its partners as a member
		f.Draft.Members[0].Partner = r.p.Partners[0]
	}
	return s.renderCooperationForm(c, r, f)
}

func (s *Site) handleCooperationCreate(c echo.Context, r *request) error {
	if err := r.requireWriter(); err != nil {
		return err
	}
	f := &cooperationForm{Create: true}
	f.Action = r.url("/verzeichnis/kooperationen/neu")
	f.Draft = cooperationFromForm(c, r, coop.CooperationDraft{}, f)
	if editsRows(c, &f.Draft.Members) {
		return s.renderCooperationForm(c, r, f)
	}
	return s.save(c, r, &f.form, stored{}, func(ctx context.Context) (string, error) {
		co, err := s.svc.CreateCooperation(ctx, f.Draft)
		return r.url("/verzeichnis/kooperationen/" + co.Slug), err
	}, func() error { return s.renderCooperationForm(c, r, f) })
}

// loadEditableCooperation reads the cooperation and checks that the caller may change
// it (a bound editor's partners are members); the store checks it again when writing.
func (s *Site) loadEditableCooperation(c echo.Context, r *request) (coop.Cooperation, error) {
	if err := r.requireWriter(); err != nil {
		return coop.Cooperation{}, err
	}
	co, err := s.svc.FindCooperation(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return coop.Cooperation{}, err
	}
	ids := memberIDs(co)
	if !auth.MayEditCooperation(r.p, ids, ids) {
		return coop.Cooperation{}, coop.Errorf(coop.EForbidden, "%s", r.T("Diese Kooperation gehört nicht zu Ihren Partnern; Sie können sie nur lesen."))
	}
	return co, nil
}

// memberIDs lists a cooperation's partners by id and slug.
func memberIDs(co coop.Cooperation) []string {
	out := make([]string, 0, 2*len(co.Members))
	for _, m := range co.Members {
		out = append(out, m.Partner.ID, m.Partner.Slug)
	}
	return out
}

func (s *Site) editCooperationForm(r *request, co coop.Cooperation) *cooperationForm {
	f := &cooperationForm{Slug: co.Slug, Draft: draftOfCooperation(co)}
	f.Action, f.Version, f.CanDelete = r.url("/verzeichnis/kooperationen/"+co.Slug+"/bearbeiten"), co.Version, true
	for _, m := range co.Members {
		f.lock(r.p, m.Partner, m.Role)
	}
	return f
}

func (s *Site) handleCooperationEdit(c echo.Context, r *request) error {
	co, err := s.loadEditableCooperation(c, r)
	if err != nil {
		return err
	}
	f := s.editCooperationForm(r, co)
	if co.NoticePeriodMonths != nil {
		f.Notice = strconv.Itoa(*co.NoticePeriodMonths)
	}
	if co.ProcurementExempt != nil {
		f.Exempt = strconv.FormatBool(*co.ProcurementExempt)
	}
	return s.renderCooperationForm(c, r, f)
}

func (s *Site) handleCooperationUpdate(c echo.Context, r *request) error {
	co, err := s.loadEditableCooperation(c, r)
	if err != nil {
		return err
	}
	f := s.editCooperationForm(r, co)
	f.Version = formInt(c, "version")
	f.Draft = cooperationFromForm(c, r, f.Draft, f)
	if editsRows(c, &f.Draft.Members) {
		return s.renderCooperationForm(c, r, f)
	}
	return s.save(c, r, &f.form, stored{coop.TypeCooperation, co.ID, co.Version}, func(ctx context.Context) (string, error) {
		saved, err := s.svc.UpdateCooperation(ctx, co.ID, f.Draft, max(f.Version, 1))
		return r.url("/verzeichnis/kooperationen/" + saved.Slug), err
	}, func() error { return s.renderCooperationForm(c, r, f) })
}

func cooperationStatusForm(r *request, co coop.Cooperation) *statusForm {
	f := &statusForm{Back: r.url("/verzeichnis/kooperationen/" + co.Slug), Status: co.Status, Enum: "coop_status",
		Allowed: coop.CooperationMachine.Allowed(co.Status)}
	f.Action = r.url("/verzeichnis/kooperationen/" + co.Slug + "/status")
	return f
}

func (s *Site) handleCooperationStatusForm(c echo.Context, r *request) error {
	co, err := s.loadEditableCooperation(c, r)
	if err != nil {
		return err
	}
	f := cooperationStatusForm(r, co)
	f.Version = co.Version
	return r.render(http.StatusOK, "status_form", r.T("Status ändern")+": "+co.Title, f)
}

func (s *Site) handleCooperationTransition(c echo.Context, r *request) error {
	co, err := s.loadEditableCooperation(c, r)
	if err != nil {
		return err
	}
	return s.transition(c, r, cooperationStatusForm(r, co), co.Title, coop.TypeCooperation, co.ID, co.Version,
		func(ctx context.Context, t coop.Transition, version int) error {
			_, err := s.svc.TransitionCooperation(ctx, co.ID, t, version)
			return err
		})
}
