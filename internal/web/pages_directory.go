package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// listSize is the page size of the partner, cooperation and solution lists.
const listSize = 50

type listPage[T any] struct {
	Result    coop.ListResult[T]
	Q         string
	Next      string
	First     string
	MayCreate bool
	Downloads downloads
}

// pageLinks fills the next and first page links of a simple list.
func pageLinks(r *request, path, q, cursor, next string) (nextURL, firstURL string) {
	base := url.Values{}
	if q != "" {
		base.Set("q", q)
	}
	if next != "" {
		n := cloneValues(base)
		n.Set("cursor", next)
		nextURL = r.url(path) + "?" + n.Encode()
	}
	if cursor != "" {
		firstURL = r.url(path) + encodeQuery(base)
	}
	return nextURL, firstURL
}

// listText reads the list's q: at most 200 characters, like the API's.
func listText(c echo.Context) (q, cursor string) {
	q = strings.TrimSpace(c.QueryParam("q"))
	if len([]rune(q)) > 200 {
		q = string([]rune(q)[:200])
	}
	cursor = c.QueryParam("cursor")
	if len(cursor) > 2048 {
		cursor = ""
	}
	return q, cursor
}

func (s *Site) handlePartners(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	q, cursor := listText(c)
	res, err := s.svc.FindPartners(c.Request().Context(), coop.PartnerFilter{Page: coop.Page{Limit: listSize, Cursor: cursor}, Q: q})
	if err != nil {
		return err
	}
	d := listPage[coop.Partner]{Result: res, Q: q, MayCreate: auth.CanWriteDirectory(r.p) && !r.p.Bound()}
	d.Next, d.First = pageLinks(r, "/verzeichnis/partner", q, cursor, res.NextCursor)
	qs := url.Values{}
	if q != "" {
		qs.Set("q", q)
	}
	d.Downloads = r.downloads("/api/v1/partners"+encodeQuery(qs), "partners", qs)
	return r.render(http.StatusOK, "partners", r.T("Partner"), d)
}

type partnerPage struct {
	Partner      coop.Partner
	Children     []coop.Partner
	Roles        []roleProjects // the partner's projects by its role in them
	Cooperations []coop.Cooperation
	MoreProjects bool
	MayEdit      bool
	Downloads    downloads
}

type roleProjects struct {
	Role     string
	Projects []coop.Project
}

// partnerProjectLimit bounds the projects a partner page lists (the list page, linked
// from it, shows all).
const partnerProjectLimit = 100

func (s *Site) handlePartner(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := s.svc.FindPartner(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	d := partnerPage{Partner: p, MayEdit: auth.MayEditPartner(r.p, p.ID, p.Slug)}
	children, err := s.svc.FindPartners(ctx, coop.PartnerFilter{Page: coop.Page{Limit: 200}, Parents: []string{p.ID}})
	if err != nil {
		return err
	}
	d.Children = children.Items
	projects, err := s.svc.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: partnerProjectLimit}, Partners: []string{p.ID}})
	if err != nil {
		return err
	}
	d.MoreProjects = projects.NextCursor != ""
	for _, pr := range projects.Items {
		for _, pa := range pr.Participants {
			if pa.Partner.ID != p.ID {
				continue
			}
			i := slices.IndexFunc(d.Roles, func(x roleProjects) bool { return x.Role == pa.Role })
			if i < 0 {
				d.Roles = append(d.Roles, roleProjects{Role: pa.Role})
				i = len(d.Roles) - 1
			}
			d.Roles[i].Projects = append(d.Roles[i].Projects, pr)
		}
	}
	order := coop.ParticipantRoles.Codes()
	slices.SortFunc(d.Roles, func(a, b roleProjects) int { return slices.Index(order, a.Role) - slices.Index(order, b.Role) })
	coops, err := s.svc.FindCooperations(ctx, coop.CooperationFilter{Page: coop.Page{Limit: 100}, Partners: []string{p.ID}})
	if err != nil {
		return err
	}
	d.Cooperations = coops.Items
	d.Downloads = r.downloads("/api/v1/partners/"+p.Slug, "", nil)
	r.partnerLD(p)
	return r.render(http.StatusOK, "partner", p.Name, d)
}

func (s *Site) handleCooperations(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	q, cursor := listText(c)
	res, err := s.svc.FindCooperations(c.Request().Context(), coop.CooperationFilter{Page: coop.Page{Limit: listSize, Cursor: cursor}, Q: q})
	if err != nil {
		return err
	}
	d := listPage[coop.Cooperation]{Result: res, Q: q, MayCreate: auth.CanWriteDirectory(r.p)}
	d.Next, d.First = pageLinks(r, "/verzeichnis/kooperationen", q, cursor, res.NextCursor)
	qs := url.Values{}
	if q != "" {
		qs.Set("q", q)
	}
	d.Downloads = r.downloads("/api/v1/cooperations"+encodeQuery(qs), "cooperations", qs)
	return r.render(http.StatusOK, "cooperations", r.T("Kooperationen"), d)
}

type cooperationPage struct {
	Cooperation coop.Cooperation
	History     []coop.StatusChange
	Projects    []coop.Project
	More        bool
	MayEdit     bool
	Allowed     []string // status targets the machine allows now
	Downloads   downloads
}

func (s *Site) handleCooperation(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	co, err := s.svc.FindCooperation(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	hist, err := s.svc.CooperationHistory(ctx, co.ID)
	if err != nil {
		return err
	}
	projects, err := s.svc.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: partnerProjectLimit}, Cooperations: []string{co.ID}})
	if err != nil {
		return err
	}
	members := make([]string, 0, 2*len(co.Members))
	for _, m := range co.Members {
		members = append(members, m.Partner.ID, m.Partner.Slug)
	}
	d := cooperationPage{Cooperation: co, History: hist, Projects: projects.Items, More: projects.NextCursor != "",
		MayEdit: auth.MayEditCooperation(r.p, members, members)}
	if d.MayEdit {
		d.Allowed = coop.CooperationMachine.Allowed(co.Status)
	}
	d.Downloads = r.downloads("/api/v1/cooperations/"+co.Slug, "", nil)
	r.cooperationLD(co)
	return r.render(http.StatusOK, "cooperation", co.Title, d)
}

func (s *Site) handleSolutions(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	q, cursor := listText(c)
	res, err := s.svc.FindSolutions(c.Request().Context(), coop.SolutionFilter{Page: coop.Page{Limit: listSize, Cursor: cursor}, Q: q})
	if err != nil {
		return err
	}
	d := listPage[coop.Solution]{Result: res, Q: q, MayCreate: auth.MayEditSolution(r.p)}
	d.Next, d.First = pageLinks(r, "/verzeichnis/loesungen", q, cursor, res.NextCursor)
	qs := url.Values{}
	if q != "" {
		qs.Set("q", q)
	}
	d.Downloads = r.downloads("/api/v1/solutions"+encodeQuery(qs), "", nil)
	return r.render(http.StatusOK, "solutions", r.T("Lösungen"), d)
}

type solutionPage struct {
	Solution  coop.Solution
	Projects  []coop.Project
	Users     []coop.Ref // partners taking part in projects that use it, each once
	More      bool
	MayEdit   bool
	Downloads downloads
}

// handleSolution shows a solution, its developers, and who else uses it.
func (s *Site) handleSolution(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	so, err := s.svc.FindSolution(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	projects, err := s.svc.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: partnerProjectLimit}, Solutions: []string{so.ID}})
	if err != nil {
		return err
	}
	d := solutionPage{Solution: so, Projects: projects.Items, More: projects.NextCursor != "", MayEdit: auth.MayEditSolution(r.p)}
	for _, p := range projects.Items {
		for _, pa := range p.Participants {
			if !slices.ContainsFunc(d.Users, func(x coop.Ref) bool { return x.ID == pa.Partner.ID }) {
				d.Users = append(d.Users, pa.Partner)
			}
		}
	}
	d.Downloads = r.downloads("/api/v1/solutions/"+so.Slug, "", nil)
	return r.render(http.StatusOK, "solution", so.Name, d)
}
