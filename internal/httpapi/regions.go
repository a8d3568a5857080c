package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

var regionParams = []string{"limit", "cursor", "sort", "q", "level", "kind", "state", "ars", "ags"}

// maxRegionKeys bounds the values of the ars and ags filters (each is tried on every
// region of the register).
const maxRegionKeys = 100

// regionQuery reads the list parameters of /regions and /regions/{ars}/children.
func regionQuery(c echo.Context, extra ...string) (region.Query, error) {
	q := newQuery(c)
	q.known(append(regionParams, extra...)...)
	p := q.page(region.SortFields)
	rq := region.Query{
		Q:      q.searchText(),
		Levels: q.list("level", coop.RegionLevels),
		Kinds:  q.list("kind", coop.RegionKinds),
		States: q.list("state", coop.States),
		ARS:    q.list("ars", nil),
		AGS:    q.list("ags", nil),
		Sort:   p.Sort,
		Limit:  p.Limit,
		Cursor: p.Cursor,
	}
	for _, f := range []struct {
		name string
		vals []string
		max  int
	}{{"ars", rq.ARS, 12}, {"ags", rq.AGS, 8}} {
		if len(f.vals) > maxRegionKeys {
			q.fail("%s: höchstens %d Werte / at most %[2]d values", f.name, maxRegionKeys)
		}
		for _, v := range f.vals {
			if len(v) > f.max || strings.Trim(v, "0123456789") != "" {
				q.fail("%s: erwartet Ziffern, höchstens %d (Anfang des Schlüssels), nicht %q / expected at most %[2]d digits (the start of a key), not %[3]q", f.name, f.max, v)
			}
		}
	}
	return rq, q.err
}

// regionPage answers one page of regions with the register's attribution.
func (s *Server) regionPage(c echo.Context, reg *region.Register, rq region.Query) error {
	page, err := reg.Find(rq)
	if err != nil {
		return err
	}
	out := RegionList{Items: regionsOut(page.Items), Total: int64(page.Total), Source: regionSourceOut(reg.Source)}
	if page.NextCursor != "" {
		out.NextCursor = &page.NextCursor
		c.Response().Header().Set("Link", nextLink(c, page.NextCursor))
	}
	return s.writeCached(c, http.StatusOK, out, "")
}

// handleRegionList lists and searches the official register of territorial units.
//
//	@ID				listRegions
//	@Summary		Gebietseinheiten suchen / search the register of territorial units
//	@Description	Das amtliche Gemeindeverzeichnis (Destatis, dl-de/by-2-0): Länder, Regierungsbezirke, Regionen, Kreise, Gemeindeverbände und Gemeinden. `q` sucht im Namen wie die Suche des Verzeichnisses (Groß- und Kleinschreibung und Umlaute egal: Munster und Muenster finden Münster; jedes Wort muss einen Wort des Namens beginnen; ganze Namen zuerst, dann größere Orte) oder, aus Ziffern, den Anfang von ARS oder AGS (05515). `ars` und `ags` sind Präfixfilter (055 = Regierungsbezirk Münster). Jede Antwort nennt die Quelle mit Namensnennung.
//	@Description	The official register (Destatis Gemeindeverzeichnis, dl-de/by-2-0): states, government regions, regions, districts, municipal associations and municipalities. `q` searches names with German folding (Munster and Muenster find Münster; every word must begin a word of the name; whole names first, then larger places) or, digits only, the start of the ARS or AGS. `ars` and `ags` filter by prefix. Every answer names the source with its attribution.
//	@Tags			regions
//	@Produce		json
//	@Param			q		query		string		false	"name, or the start of an ARS/AGS"	minLength(1)	maxLength(200)	example(Muenster)
//	@Param			level	query		[]string	false	"levels, comma separated"	collectionFormat(csv)	Enums(state, government_region, region, district, association, municipality)	example(municipality)
//	@Param			kind	query		[]string	false	"kinds, comma separated"	collectionFormat(csv)	Enums(state, government_region, region, independent_city, urban_district, district, rural_district, regional_association, unassociated_municipality, amt, joint_municipality, collective_municipality, administrative_community, parish_association, administrative_association, administering_municipality, market, town, municipality, unincorporated_inhabited, unincorporated_uninhabited, major_district_town)
//	@Param			state	query		[]string	false	"federal states (ISO 3166-2), comma separated"	collectionFormat(csv)	Enums(DE-SH, DE-HH, DE-NI, DE-HB, DE-NW, DE-HE, DE-RP, DE-BW, DE-BY, DE-SL, DE-BE, DE-BB, DE-MV, DE-SN, DE-ST, DE-TH)	example(DE-NW)
//	@Param			ars		query		[]string	false	"ARS prefixes (up to 12 digits), comma separated"	collectionFormat(csv)	maxLength(12)	example(055)
//	@Param			ags		query		[]string	false	"AGS prefixes (up to 8 digits), comma separated"	collectionFormat(csv)	maxLength(8)	example(05515)
//	@Param			sort	query		string		false	"comma list of name, ars, population, relevance (with q only); - for descending; default relevance with q, name otherwise"	example(-population)	maxLength(200)
//	@Param			limit	query		int			false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor	query		string		false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200		{object}	RegionList
//	@Header			200		{string}	ETag	"weak tag of the page"
//	@Header			200		{string}	Link	"next page"
//	@Success		304		"not modified"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/regions [get]
func (s *Server) handleRegionList(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	rq, err := regionQuery(c)
	if err != nil {
		return err
	}
	reg, err := s.svc.Register(c.Request().Context())
	if err != nil {
		return err
	}
	return s.regionPage(c, reg, rq)
}

// regionParam resolves the {ars} path parameter: a 12-digit ARS (the deepest region
// with it, or the one at ?level=) or a key's significant digits (05 a state, 05515 a
// district).
func (s *Server) regionParam(c echo.Context, levelParam bool) (*region.Register, region.Region, error) {
	key := c.Param("ars")
	level := ""
	if levelParam {
		q := newQuery(c)
		q.known("level")
		if l := q.list("level", coop.RegionLevels); len(l) > 1 {
			q.fail("level: ein Wert / one value")
		} else if len(l) == 1 {
			level = l[0]
		}
		if q.err != nil {
			return nil, region.Region{}, q.err
		}
	}
	if _, ok := region.NormalizeKey(key); !ok {
		return nil, region.Region{}, badRequest("ars: erwartet 12 Ziffern (ARS) oder die signifikanten Ziffern eines Schlüssels (2 Land, 3 Regierungsbezirk, 4 Region, 5 Kreis, 9 Gemeindeverband) / expected 12 digits or the significant digits of a key (2 state, 3 government region, 4 region, 5 district, 9 association)")
	}
	reg, err := s.svc.Register(c.Request().Context())
	if err != nil {
		return nil, region.Region{}, err
	}
	var x region.Region
	var ok bool
	switch {
	case len(key) == 12:
		x, ok = reg.ResolveARS(key, level)
	default:
		x, ok = reg.Get(key)
		ok = ok && (level == "" || x.Level == level)
	}
	if !ok {
		return nil, region.Region{}, coop.Errorf(coop.ENotFound, "Keine Gebietseinheit %s im Gemeindeverzeichnis / no such region in the register", key)
	}
	return reg, x, nil
}

// handleRegionGet shows one region with its parents.
//
//	@ID				getRegion
//	@Summary		Gebietseinheit abrufen / get a region
//	@Description	Eine Gebietseinheit nach ARS (12 Ziffern: die tiefste Einheit mit diesem Schlüssel, z. B. die Gemeinde Münster; `level` wählt eine andere, etwa den Kreis) oder nach den signifikanten Ziffern ihres Schlüssels (05 Land, 055 Regierungsbezirk, 05515 Kreis), mit den umfassenden Einheiten bis zum Land und der Zahl der direkt enthaltenen.
//	@Description	A region by ARS (12 digits: the deepest region with that key, e.g. the municipality Münster; `level` picks another, such as the district) or by its key's significant digits (05 state, 055 government region, 05515 district), with the regions enclosing it up to the state and the number of regions directly in it.
//	@Tags			regions
//	@Produce		json
//	@Param			ars		path		string	true	"ARS (12 digits) or a key's significant digits (2, 3, 4, 5 or 9)"	example(055150000000)	minLength(2)	maxLength(12)
//	@Param			level	query		string	false	"the level to resolve a 12-digit ARS at"	Enums(state, government_region, region, district, association, municipality)
//	@Success		200		{object}	RegionDetail
//	@Header			200		{string}	ETag	"weak tag of the answer"
//	@Success		304		"not modified"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/regions/{ars} [get]
func (s *Server) handleRegionGet(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	reg, x, err := s.regionParam(c, true)
	if err != nil {
		return err
	}
	parents := reg.Parents(x)
	out := RegionDetail{Region: regionOut(x), Parents: make([]RegionRef, len(parents)),
		ChildrenCount: reg.ChildCount(x), Source: regionSourceOut(reg.Source)}
	for i, p := range parents {
		out.Parents[i] = regionRefOut(p)
	}
	return s.writeCached(c, http.StatusOK, out, "")
}

// handleRegionChildren lists the regions directly in a region.
//
//	@ID				listRegionChildren
//	@Summary		Enthaltene Gebietseinheiten / regions within a region
//	@Description	Die Einheiten, deren nächste umfassende Einheit diese ist (ein Land: seine Regierungsbezirke oder Kreise; ein Kreis: seine Gemeindeverbände), mit den Filtern und der Sortierung der Liste. The regions whose nearest enclosing region this is, with the list's filters and sorting.
//	@Tags			regions
//	@Produce		json
//	@Param			ars		path		string		true	"key's significant digits (2, 3, 4, 5 or 9), or a 12-digit ARS"	example(05515)	minLength(2)	maxLength(12)
//	@Param			q		query		string		false	"name, or the start of an ARS/AGS"	minLength(1)	maxLength(200)
//	@Param			level	query		[]string	false	"levels, comma separated"	collectionFormat(csv)	Enums(state, government_region, region, district, association, municipality)
//	@Param			kind	query		[]string	false	"kinds, comma separated"	collectionFormat(csv)	Enums(state, government_region, region, independent_city, urban_district, district, rural_district, regional_association, unassociated_municipality, amt, joint_municipality, collective_municipality, administrative_community, parish_association, administrative_association, administering_municipality, market, town, municipality, unincorporated_inhabited, unincorporated_uninhabited, major_district_town)
//	@Param			state	query		[]string	false	"federal states (ISO 3166-2), comma separated"	collectionFormat(csv)	Enums(DE-SH, DE-HH, DE-NI, DE-HB, DE-NW, DE-HE, DE-RP, DE-BW, DE-BY, DE-SL, DE-BE, DE-BB, DE-MV, DE-SN, DE-ST, DE-TH)
//	@Param			ars		query		[]string	false	"ARS prefixes, comma separated"	collectionFormat(csv)	maxLength(12)
//	@Param			ags		query		[]string	false	"AGS prefixes, comma separated"	collectionFormat(csv)	maxLength(8)
//	@Param			sort	query		string		false	"comma list of name, ars, population, relevance (with q only); - for descending"	example(ars)	maxLength(200)
//	@Param			limit	query		int			false	"page size"	minimum(1)	maximum(500)	default(50)
//	@Param			cursor	query		string		false	"next_cursor of the previous page"	maxLength(2048)
//	@Success		200		{object}	RegionList
//	@Header			200		{string}	ETag	"weak tag of the page"
//	@Header			200		{string}	Link	"next page"
//	@Success		304		"not modified"
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Failure		429		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/regions/{ars}/children [get]
func (s *Server) handleRegionChildren(c echo.Context) error {
	if err := s.canRead(c); err != nil {
		return err
	}
	rq, err := regionQuery(c)
	if err != nil {
		return err
	}
	reg, x, err := s.regionParam(c, false)
	if err != nil {
		return err
	}
	rq.Parent = x.Key
	return s.regionPage(c, reg, rq)
}

// registerFor is the register in force for what a request shows of partners (their
// population and area); nil, and so none shown, if it cannot be read.
func (s *Server) registerFor(c echo.Context) *region.Register {
	reg, err := s.svc.Register(c.Request().Context())
	if err != nil {
		s.log.WarnContext(c.Request().Context(), "register of territorial units not readable", "error", err)
		return nil
	}
	return reg
}
