package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

// openData sets up the catalogue from the options.
func (s *Server) openData() {
	set := s.opt.OpenData
	set.PublicRead = s.opt.PublicRead
	s.catalog = opendata.NewCatalog(s.svc, set)
}

// baseURL is the base of the URIs the open data names (opendata.BaseURL).
func (s *Server) baseURL(c echo.Context) string {
	return opendata.BaseURL(s.opt.OpenData.PublicURL, c.Request())
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
