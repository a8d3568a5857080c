package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// maxPartnerOptions is the number of partners up to which the project filter offers
// them as a list; beyond it, the filter takes slugs typed in.
const maxPartnerOptions = 300

type projectsPage struct {
	Query      projectQuery
	Result     coop.ListResult[coop.Project]
	Partners   []coop.Partner // filter options; nil when there are too many
	Statuses   coop.Enum
	Categories coop.Enum
	Sorts      []struct{ Value, Label string }
	Next       string // URL of the next page, "" on the last
	First      string // URL of the first page, "" on it
	Downloads  downloads
}

// handleProjects is the project list with facet filters, sort and keyset paging; the
// URL holds the whole query.
func (s *Site) handleProjects(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	pq := parseProjectQuery(c.QueryParams(), r.T)
	d := projectsPage{Query: pq, Statuses: coop.ProjectStatuses, Categories: coop.ProjectCategories, Sorts: sortOptions}
	ctx := c.Request().Context()
	status := http.StatusOK
	if len(pq.Errors) > 0 {
		status = http.StatusBadRequest
	} else {
		res, err := s.svc.FindProjects(ctx, pq.filter(pageSize))
		if err != nil {
			return err
		}
		d.Result = res
	}
	partners, err := s.filterPartners(c.Request().Context())
	if err != nil {
		return err
	}
	d.Partners = partners
	base := pq.values()
	if d.Result.NextCursor != "" {
		next := cloneValues(base)
		next.Set("cursor", d.Result.NextCursor)
		d.Next = r.url("/verzeichnis/vorhaben") + "?" + next.Encode()
	}
	if pq.Cursor != "" {
		d.First = r.url("/verzeichnis/vorhaben") + encodeQuery(base)
	}
	d.Downloads = r.downloads("/api/v1/projects"+encodeQuery(withLimit(base)), "projects", pq.filterValues())
	for i := range d.Result.Items {
		r.hideFinance(&d.Result.Items[i])
	}
	return r.render(status, "projects", r.T("Vorhaben"), d)
}

type projectPage struct {
	Project   coop.Project
	History   []coop.StatusChange
	Changes   []coop.Change // newest first; only for signed-in callers
	Finance   bool
	MayEdit   bool
	Allowed   []string // status targets the machine allows now
	Downloads downloads
}

// handleProject shows one project: participants, solution, status timeline, legal
// basis, sources and (for signed-in callers) its history of changes.
func (s *Site) handleProject(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := s.svc.FindProject(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	hist, err := s.svc.ProjectHistory(ctx, p.ID)
	if err != nil {
		return err
	}
	d := projectPage{Project: p, History: hist, Finance: r.seesFinance()}
	r.hideFinance(&d.Project)
	ids := participantIDs(p)
	d.MayEdit = auth.MayEditProject(r.p, ids, ids)
	if d.MayEdit {
		d.Allowed = coop.ProjectMachine.Allowed(p.Status)
	}
	if auth.CanReadChanges(r.p) {
		d.Changes, err = s.recentChanges(c, coop.TypeProject, p.ID)
		if err != nil {
			return err
		}
	}
	d.Downloads = r.downloads("/api/v1/projects/"+p.Slug, "", nil)
	r.projectLD(p)
	return r.render(http.StatusOK, "project", p.Title, d)
}

// hideFinance removes the money of a project for callers who may not see it, so that
// it is in no template's reach (not even the page source).
func (r *request) hideFinance(p *coop.Project) {
	if !r.seesFinance() {
		p.Finance = coop.Finance{}
	}
}

// participantIDs lists a project's partners by id and slug (a bound editor's partners
// may be either).
func participantIDs(p coop.Project) []string {
	out := make([]string, 0, 2*len(p.Participants))
	for _, pa := range p.Participants {
		out = append(out, pa.Partner.ID, pa.Partner.Slug)
	}
	return out
}

// recentChanges returns the last changes of one resource, newest first.
func (s *Site) recentChanges(c echo.Context, typ, id string) ([]coop.Change, error) {
	ch, err := s.svc.FindChanges(c.Request().Context(), coop.ChangeFilter{ResourceType: typ, ResourceID: id, Limit: 500})
	if err != nil {
		return nil, err
	}
	slices.Reverse(ch)
	if len(ch) > 20 {
		ch = ch[:20]
	}
	return ch, nil
}

// downloads are the links to the same data through the API.
type downloads struct {
	V               *view
	JSON, CSV, XLSX string
}

// downloads returns the page's API links; an export kind adds CSV and Excel.
func (r *request) downloads(jsonURL, export string, filters url.Values) downloads {
	d := downloads{JSON: jsonURL}
	if export != "" {
		q := cloneValues(filters)
		q.Set("format", "csv")
		d.CSV = "/api/v1/exports/" + export + "?" + q.Encode()
		q.Set("format", "xlsx")
		d.XLSX = "/api/v1/exports/" + export + "?" + q.Encode()
	}
	return d
}

func (r *request) url(path string) string { return prefixOf(r.lang) + path }

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string{}, vs...)
	}
	return out
}

func encodeQuery(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func withLimit(v url.Values) url.Values {
	out := cloneValues(v)
	out.Set("limit", "25")
	return out
}
