package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// WebUI is the web interface for people (package web) that shares this server: its
// pages are routes of the same Echo instance, behind the same middleware.
type WebUI interface {
	// Register adds the pages' routes.
	Register(e *echo.Echo)
	// StartPage serves GET / to browsers.
	StartPage(c echo.Context) error
	// HandleError renders an error of a non-API request as an HTML page for clients
	// that want HTML, and reports whether it did.
	HandleError(err error, c echo.Context) bool
}

// Index is the answer of GET / for API clients: where to go next.
type Index struct {
	// name of the service
	Name string `json:"name" example:"IKZ-Verzeichnis"`
	// links to the API's entry points
	Links IndexLinks `json:"links"`
	// true when the directory holds invented demo data (`ikz-verzeichnis seed --demo`); every answer then carries the header IKZ-Demo-Data: invented
	Demo bool `json:"demo,omitempty" example:"false"`
} // @name Index

// IndexLinks are the entry points of the API.
type IndexLinks struct {
	// the OpenAPI 3.0 contract
	OpenAPI string `json:"openapi" example:"/openapi.json"`
	// the Swagger UI
	Docs string `json:"docs" example:"/swagger/index.html"`
	// partners
	Partners string `json:"partners" example:"/api/v1/partners"`
	// cooperations
	Cooperations string `json:"cooperations" example:"/api/v1/cooperations"`
	// projects
	Projects string `json:"projects" example:"/api/v1/projects"`
	// solutions
	Solutions string `json:"solutions" example:"/api/v1/solutions"`
	// search across all kinds
	Search string `json:"search" example:"/api/v1/search"`
	// enumerations and their labels
	Enums string `json:"enums" example:"/api/v1/meta/enums"`
	// the pages for people (German; English under /en/)
	Web string `json:"web" example:"/"`
} // @name IndexLinks

var index = Index{Name: "IKZ-Verzeichnis", Links: IndexLinks{
	OpenAPI: "/openapi.json", Docs: "/swagger/index.html", Partners: "/api/v1/partners",
	Cooperations: "/api/v1/cooperations", Projects: "/api/v1/projects", Solutions: "/api/v1/solutions",
	Search: "/api/v1/search", Enums: "/api/v1/meta/enums", Web: "/",
}}

// handleIndex answers GET /: browsers (Accept preferring text/html) get the start page
// of the web interface, every other client a JSON index of links.
//
//	@ID				getIndex
//	@Summary		Einstieg / index
//	@Description	Für Browser (`Accept: text/html`) die Startseite, sonst Verweise auf die Einstiegspunkte der API. The start page for browsers, otherwise links to the API's entry points.
//	@Tags			meta
//	@Produce		json
//	@Success		200	{object}	Index
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/ [get]
func (s *Server) handleIndex(c echo.Context) error {
	if s.opt.Web != nil && PrefersHTML(c.Request().Header.Get("Accept")) {
		return s.opt.Web.StartPage(c)
	}
	c.Response().Header().Add("Vary", "Accept")
	ix := index
	ix.Demo = IsDemo(c)
	return c.JSON(http.StatusOK, ix)
}

// handleSwaggerRedirect sends /swagger to the Swagger UI.
func handleSwaggerRedirect(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, "/swagger/index.html")
}

// PrefersHTML reports whether an Accept header ranks text/html above JSON by its
// q-value, as a browser's does (a tie goes to JSON: API clients may name both).
func PrefersHTML(accept string) bool {
	html, js := -1.0, -1.0
	for _, part := range strings.Split(accept, ",") {
		media, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(media)) {
		case "text/html", "application/xhtml+xml":
			html = max(html, q)
		case "application/json", "application/problem+json":
			js = max(js, q)
		}
	}
	return html > 0 && html > js
}
