package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

type startPage struct {
	Stats  coop.Stats
	Recent []coop.Project
}

// handleStart is the start page: a search box, the projects by status, the recently
// changed projects and where the first data came from.
func (s *Site) handleStart(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	st, err := s.svc.ProjectStats(ctx, coop.StatsQuery{GroupBy: "status"})
	if err != nil {
		return err
	}
	recent, err := s.svc.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: 5,
		Sort: []coop.SortKey{{Field: "updated_at", Desc: true}}}})
	if err != nil {
		return err
	}
	for i := range recent.Items {
		r.hideFinance(&recent.Items[i])
	}
	return r.render(http.StatusOK, "start", r.T("Start"), startPage{Stats: st, Recent: recent.Items})
}

type searchPage struct {
	Q      string
	Types  []string
	Result coop.SearchResult
	Error  string
	Kinds  []string
}

// handleSearch searches across all kinds, with the API's search service: highlighted
// snippets and the counts by kind, status and category.
func (s *Site) handleSearch(c echo.Context, r *request) error {
	if err := r.canRead(); err != nil {
		return err
	}
	d := searchPage{Q: strings.TrimSpace(c.QueryParam("q")), Kinds: coop.SearchTypes}
	for _, t := range multi(c.QueryParams(), "types") {
		for _, k := range coop.SearchTypes {
			if t == k {
				d.Types = append(d.Types, t)
			}
		}
	}
	status := http.StatusOK
	switch {
	case d.Q == "":
	case len([]rune(d.Q)) > 200:
		d.Error, status = r.T("Der Suchbegriff ist zu lang (höchstens 200 Zeichen)."), http.StatusBadRequest
	default:
		res, err := s.svc.Search(c.Request().Context(), coop.SearchQuery{Q: d.Q, Types: d.Types, Limit: 50})
		if err != nil {
			return err
		}
		d.Result = res
	}
	title := r.T("Suche")
	if d.Q != "" {
		title = r.T("Suche") + ": " + d.Q
	}
	return r.render(status, "search", title, d)
}

// TypePath is the page path of a kind of resource.
func (v *view) TypePath(typ, slug string) string {
	switch typ {
	case coop.TypePartner:
		return v.URL("/verzeichnis/partner/" + slug)
	case coop.TypeCooperation:
		return v.URL("/verzeichnis/kooperationen/" + slug)
	case coop.TypeSolution:
		return v.URL("/verzeichnis/loesungen/" + slug)
	}
	return v.URL("/verzeichnis/vorhaben/" + slug)
}

// TypeLabel names a kind of resource.
func (v *view) TypeLabel(typ string) string {
	return v.T(map[string]string{coop.TypePartner: "Partner", coop.TypeCooperation: "Kooperation",
		coop.TypeProject: "Vorhaben", coop.TypeSolution: "Lösung"}[typ])
}

// HasType reports whether the search is limited to kind t.
func (d searchPage) HasType(t string) bool { return slices.Contains(d.Types, t) }
