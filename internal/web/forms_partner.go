package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// partnerForm is the create and edit form of a partner.
type partnerForm struct {
	form
	Create    bool
	Slug      string
	Draft     coop.PartnerDraft
	Employees string // head count as typed
	AsOf      string
	Parents   []coop.Ref
}

func draftOfPartner(p coop.Partner) coop.PartnerDraft {
	d := coop.PartnerDraft{Slug: p.Slug, Name: p.Name, ShortName: p.ShortName, Type: p.Type, LegalForm: p.LegalForm,
		AGS: p.AGS, ARS: p.ARS, State: p.State, LeitwegID: p.LeitwegID, Website: p.Website, Email: p.Email,
		Address: p.Address, Description: p.Description}
	if p.Parent != nil {
		d.Parent = p.Parent.Slug
	}
	if p.Employees != nil {
		d.Employees = &coop.EmployeesDraft{Count: p.Employees.Count, AsOf: p.Employees.AsOf.String()}
	}
	return d
}

// partnerFromForm reads the posted form; an employee count that is not a whole number
// is reported at its field like the API's validation.
func partnerFromForm(c echo.Context, r *request, base coop.PartnerDraft, f *partnerForm) coop.PartnerDraft {
	d := base
	if _, ok := c.Request().PostForm["slug"]; ok {
		d.Slug = strings.TrimSpace(c.FormValue("slug"))
	}
	v := func(n string) string { return strings.TrimSpace(c.FormValue(n)) }
	d.Name, d.ShortName, d.Type, d.Parent = v("name"), v("short_name"), v("type"), v("parent")
	d.LegalForm, d.AGS, d.ARS, d.State, d.LeitwegID = v("legal_form"), v("ags"), v("ars"), v("state"), v("leitweg_id")
	d.Website, d.Email, d.Description = v("website"), v("email"), v("description")
	d.Address = coop.Address{Street: v("address.street"), PostalCode: v("address.postal_code"), City: v("address.city")}
	f.Employees, f.AsOf = v("employees.count"), v("employees.as_of")
	d.Employees = nil
	if f.Employees != "" || f.AsOf != "" {
		n, err := strconv.Atoi(f.Employees)
		if err != nil {
			n = -1 // reported by validation as "not negative"; the message below is clearer
			f.invalid(r, "employees.count", "Bitte eine ganze Zahl angeben")
		}
		d.Employees = &coop.EmployeesDraft{Count: n, AsOf: f.AsOf}
	}
	return d
}

func (s *Site) partnerOptions(c echo.Context, f *partnerForm) error {
	partners, err := s.svc.FindPartners(c.Request().Context(), coop.PartnerFilter{Page: coop.Page{Limit: 500}})
	if err != nil {
		return err
	}
	for _, p := range partners.Items {
		if p.Slug != f.Slug {
			f.Parents = append(f.Parents, coop.Ref{ID: p.ID, Slug: p.Slug, Name: p.Name})
		}
	}
	return nil
}

func (s *Site) renderPartnerForm(c echo.Context, r *request, f *partnerForm) error {
	if err := s.partnerOptions(c, f); err != nil {
		return err
	}
	title := r.T("Neuer Partner")
	if !f.Create {
		title = r.T("Partner bearbeiten") + ": " + f.Draft.Name
	}
	return r.render(f.status(), "partner_form", title, f)
}

// requirePartnerWriter: a bound editor may change only its own partners and create
// none (auth.MayEditPartner).
func (r *request) requirePartnerWriter(ids ...string) error {
	if err := r.requireWriter(); err != nil {
		return err
	}
	if !auth.MayEditPartner(r.p, ids...) {
		return coop.Errorf(coop.EForbidden, "%s", r.T("Sie dürfen nur die Partner ändern, an die Sie gebunden sind."))
	}
	return nil
}

func (s *Site) handlePartnerNew(c echo.Context, r *request) error {
	if err := r.requirePartnerWriter(); err != nil {
		return err
	}
	f := &partnerForm{Create: true}
	f.Action = r.url("/verzeichnis/partner/neu")
	return s.renderPartnerForm(c, r, f)
}

func (s *Site) handlePartnerCreate(c echo.Context, r *request) error {
	if err := r.requirePartnerWriter(); err != nil {
		return err
	}
	f := &partnerForm{Create: true}
	f.Action = r.url("/verzeichnis/partner/neu")
	f.Draft = partnerFromForm(c, r, coop.PartnerDraft{}, f)
	return s.save(c, r, &f.form, stored{}, func(ctx context.Context) (string, error) {
		p, err := s.svc.CreatePartner(ctx, f.Draft)
		return r.url("/verzeichnis/partner/" + p.Slug), err
	}, func() error { return s.renderPartnerForm(c, r, f) })
}

func (s *Site) loadEditablePartner(c echo.Context, r *request) (coop.Partner, error) {
	if err := r.requireWriter(); err != nil {
		return coop.Partner{}, err
	}
	p, err := s.svc.FindPartner(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return coop.Partner{}, err
	}
	return p, r.requirePartnerWriter(p.ID, p.Slug)
}

func (s *Site) handlePartnerEdit(c echo.Context, r *request) error {
	p, err := s.loadEditablePartner(c, r)
	if err != nil {
		return err
	}
	f := &partnerForm{Slug: p.Slug, Draft: draftOfPartner(p)}
	f.Action, f.Version, f.CanDelete = r.url("/verzeichnis/partner/"+p.Slug+"/bearbeiten"), p.Version, true
	if p.Employees != nil {
		f.Employees, f.AsOf = strconv.Itoa(p.Employees.Count), p.Employees.AsOf.String()
	}
	return s.renderPartnerForm(c, r, f)
}

func (s *Site) handlePartnerUpdate(c echo.Context, r *request) error {
	p, err := s.loadEditablePartner(c, r)
	if err != nil {
		return err
	}
	f := &partnerForm{Slug: p.Slug}
	f.Action, f.Version, f.CanDelete = r.url("/verzeichnis/partner/"+p.Slug+"/bearbeiten"), formInt(c, "version"), true
	f.Draft = partnerFromForm(c, r, draftOfPartner(p), f)
	return s.save(c, r, &f.form, stored{coop.TypePartner, p.ID, p.Version}, func(ctx context.Context) (string, error) {
		saved, err := s.svc.UpdatePartner(ctx, p.ID, f.Draft, max(f.Version, 1))
		return r.url("/verzeichnis/partner/" + saved.Slug), err
	}, func() error { return s.renderPartnerForm(c, r, f) })
}
