package web

import (
	"html/template"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// registerEmbed adds the pages a portal may show in a frame ("our IT cooperations"):
// a project, and a partner's projects. Only the origins in IKZ_EMBED_ORIGINS may frame
// them (CSP frame-ancestors); every other page refuses any frame.
func (s *Site) registerEmbed(e *echo.Echo, lang string) {
	p := prefixOf(lang)
	e.GET(p+"/embed/vorhaben/:slug", s.embed(lang, s.handleEmbedProject))
	e.GET(p+"/embed/partner/:slug/vorhaben", s.embed(lang, s.handleEmbedPartnerProjects))
}

// embed wraps h for a page in another site's frame. A frame is a third-party context:
// the browser sends no session cookie there (SameSite=Lax), and the page shows what
// every visitor may see, whoever the caller is, so it never depends on a session or
// token and never shows money.
func (s *Site) embed(lang string, h handler) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := &request{lang: lang, site: s, c: c}
		pageHeaders(c, s.opt.EmbedOrigins, true)
		anon := coop.Actor{Type: coop.ActorAnonymous}
		c.SetRequest(c.Request().WithContext(coop.WithActor(c.Request().Context(), anon)))
		r.actor = anon
		var err error
		if !s.opt.PublicRead {
			err = coop.Errorf(coop.EUnauthorized, "%s", r.T("Dieses Verzeichnis ist nicht öffentlich; es kann nicht eingebettet werden."))
		} else {
			err = h(c, r)
		}
		if err != nil {
			s.renderError(c, r, err)
		}
		return nil
	}
}

type embedProjectPage struct {
	Project coop.Project
}

func (s *Site) handleEmbedProject(c echo.Context, r *request) error {
	p, err := s.svc.FindProject(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	r.hideFinance(&p)
	return r.render(http.StatusOK, "embed_project", p.Title, embedProjectPage{Project: p})
}

type embedPartnerPage struct {
	Partner  coop.Partner
	Projects []projectRow
	Rows     template.HTML // the table's rows (projectTable.rows)
	More     bool
}

func (s *Site) handleEmbedPartnerProjects(c echo.Context, r *request) error {
	ctx := c.Request().Context()
	p, err := s.svc.FindPartner(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	res, err := s.svc.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: partnerProjectLimit,
		Sort: []coop.SortKey{{Field: "title"}}}, Partners: []string{p.ID}})
	if err != nil {
		return err
	}
	d := embedPartnerPage{Partner: p, More: res.NextCursor != ""}
	for i := range res.Items {
		pr := &res.Items[i]
		r.hideFinance(pr)
		pp := projectRow{Project: pr}
		for _, pa := range pr.Participants {
			if pa.Partner.ID == p.ID && !slices.Contains(pp.Roles, pa.Role) {
				pp.Roles = append(pp.Roles, pa.Role)
			}
		}
		d.Projects = append(d.Projects, pp)
	}
	d.Rows = embedTable.rows(r.lang, d.Projects)
	return r.render(http.StatusOK, "embed_partner_projects", r.Tf("IT-Kooperationen: %s", p.Name), d)
}
