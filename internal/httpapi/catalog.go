package httpapi

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

// openData sets up the catalogue from the options.
func (s *Server) openData() {
	set := s.opt.OpenData
	set.PublicRead = s.opt.PublicRead
	s.catalog = opendata.NewCatalog(s.svc, set)
}

// plainHost is a host name or IPv4/IPv6 address with an optional port.
var plainHost = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(:[0-9]{1,5})?$`)

// baseURL is the base of the URIs the open data names: IKZ_PUBLIC_URL, or where it is
// not set the request's scheme (https behind a proxy that says so) and host; a Host
// header that is not a plain host name counts as localhost.
func (s *Server) baseURL(c echo.Context) string {
	if s.opt.OpenData.PublicURL != "" {
		return s.opt.OpenData.PublicURL
	}
	r := c.Request()
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	host := r.Host
	if !plainHost.MatchString(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

// handleCatalog answers the open-data catalogue.
//
//	@ID				getCatalog
//	@Summary		DCAT-AP.de-Katalog / DCAT-AP.de catalogue
//	@Description	Der Katalog des Verzeichnisses nach DCAT-AP.de 3.0, wie ihn GovData und die Landesportale (z. B. Open.NRW) harvesten: die Datensätze Partner, Kooperationen und Vorhaben mit ihren Downloads (CSV, XLSX, JSON) und der API als Distributionen, die API als dcat:DataService (beschrieben durch /openapi.json), Herausgeber, Kontakt und Lizenz aus den Einstellungen, Orte als DCAT-AP.de-Geokodierung der amtlichen Schlüssel, Zeitraum aus den Daten der Kooperationen und Vorhaben. Turtle (Standard) oder JSON-LD nach `Accept` oder `format`. ETag und Last-Modified folgen der letzten Änderung des Verzeichnisses. The directory's DCAT-AP.de 3.0 catalogue for open-data portals: datasets, distributions and the API as a data service, in Turtle (default) or JSON-LD by Accept or format; ETag and Last-Modified follow the directory's last change.
//	@Tags			opendata
//	@Produce		text/turtle,application/ld+json
//	@Param			format	query		string	false	"serialisation; overrides Accept"	Enums(ttl, jsonld)
//	@Success		200		{file}		file	"the catalogue"
//	@Header			200		{string}	ETag			"weak tag of the directory's data version"
//	@Header			200		{string}	Last-Modified	"time of the directory's last change"
//	@Success		304		"not modified"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/catalog [get]
func (s *Server) handleCatalog(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	q := newQuery(c)
	q.known("format")
	if q.err != nil {
		return q.err
	}
	name, err := choice(c.QueryParam("format"), "format", "", []string{"ttl", "jsonld"})
	if err != nil {
		return err
	}
	format := opendata.Format(name)
	if name == "" {
		c.Response().Header().Add("Vary", "Accept")
		format = opendata.Turtle
		if preferred(c.Request().Header.Get("Accept"), "text/turtle", "application/ld+json") == "application/ld+json" {
			format = opendata.JSONLD
		}
	}
	ctx := c.Request().Context()
	st, err := s.svc.DataStamp(ctx)
	if err != nil {
		return err
	}
	s.cacheHeaders(c)
	base := s.baseURL(c)
	if dataValidators(c, s.catalog.ETag(st, format, base), st) {
		return c.NoContent(http.StatusNotModified)
	}
	doc, err := s.catalog.Document(ctx, st, format, base)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, format.MediaType(), doc)
}
