package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/export"
)

// Media types of the downloads.
const (
	xlsxMIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvMIME  = "text/csv; charset=utf-8; header=present"
)

// exportFlushRows is how often a CSV export hands its rows on to the client: once per
// batch the store reads.
const exportFlushRows = 500

var exportParams = []string{"format", "delimiter"}

// exportOpts are an export's own parameters: format csv|xlsx (default csv) and, for
// CSV, delimiter semicolon|comma (default semicolon).
type exportOpts struct {
	format string
	comma  rune
}

// exportRequest checks the caller (anyone when reads are public, else any
// authenticated role), the query (the collection's filters but paging, and format and
// delimiter) and returns the context for the collection's filter reader.
func (s *Server) exportRequest(c echo.Context, filters []string) (exportOpts, echo.Context, error) {
	if err := require(c, func(p *auth.Principal) bool { return auth.CanExport(p, s.opt.PublicRead) }); err != nil {
		return exportOpts{}, nil, err
	}
	own, sub, err := s.splitQuery(c, withoutParams(filters, "limit", "cursor"), exportParams...)
	if err != nil {
		return exportOpts{}, nil, err
	}
	opt := exportOpts{comma: ';'}
	if opt.format, err = choice(own.Get("format"), "format", "csv", []string{"csv", "xlsx", "json"}); err != nil {
		return exportOpts{}, nil, err
	}
	d, err := choice(own.Get("delimiter"), "delimiter", "semicolon", []string{"semicolon", "comma"})
	if d == "comma" {
		opt.comma = ','
	}
	return opt, sub, err
}

// writeExport streams a table to the client. rows calls emit once per row. CSV goes
// out as the rows come (headers with the first row, a flush every exportFlushRows);
// XLSX is built in excelize's stream writer (memory-bounded, spilling to a temporary
// file) and zipped into the response at the end, after summary added its sheets. An
// error before anything was sent is an ordinary problem answer; after that the
// connection is aborted, so the client sees a broken download rather than a short
// file.
func (s *Server) writeExport(c echo.Context, opt exportOpts, file, sheet string, cols []export.Column,
	rows func(emit func([]export.Cell) error) error, summary func(*export.XLSX) error) error {
	defer exportTimer(c, opt.format)()
	v, err := s.exportValidators(c, opt)
	if err != nil {
		return err
	}
	if v.fresh {
		return c.NoContent(http.StatusNotModified)
	}
	res := c.Response()
	start := func(mime string) {
		startDownload(c, mime, fmt.Sprintf("%s-%s.%s", file, time.Now().UTC().Format(time.DateOnly), opt.format))
	}
	if c.Request().Method == http.MethodHead {
		// the headers only: no pass over the table for a body nobody reads
		if opt.format == "xlsx" {
			start(xlsxMIME)
		} else {
			start(csvMIME)
		}
		return nil
	}
	if opt.format == "xlsx" {
		x, err := export.NewXLSX(res, sheet, cols)
		if err != nil {
			return err
		}
		if IsDemo(c) {
			if err := x.MarkDemo(); err != nil {
				_ = x.Discard()
				return err
			}
		}
		if err := rows(x.WriteRow); err != nil {
			_ = x.Discard()
			return err
		}
		if summary != nil {
			if err := summary(x); err != nil {
				_ = x.Discard()
				return err
			}
		}
		start(xlsxMIME)
		return s.abortExport(c, x.Close())
	}
	var w *export.CSV
	open := func() (err error) {
		start(csvMIME)
		w, err = export.NewCSV(res, cols, opt.comma)
		return err
	}
	n := 0
	err = rows(func(cells []export.Cell) error {
		if w == nil {
			if err := open(); err != nil {
				return err
			}
		}
		if err := w.WriteRow(cells); err != nil {
			return err
		}
		if n++; n%exportFlushRows == 0 {
			return w.Flush()
		}
		return nil
	})
	if err == nil && w == nil {
		err = open()
	}
	if err == nil {
		err = w.Close()
	}
	return s.abortExport(c, err)
}

// abortExport returns err while nothing has been sent; once the download has begun it
// logs err and aborts the connection instead.
func (s *Server) abortExport(c echo.Context, err error) error {
	if err == nil || !c.Response().Committed {
		return err
	}
	s.log.Warn("export aborted", "path", c.Request().URL.Path, "request_id",
		c.Response().Header().Get(echo.HeaderXRequestID), "error", err)
	panic(http.ErrAbortHandler)
}

// handleExportProjects downloads projects.
//
//	@ID				exportProjects
//	@Summary		Vorhaben exportieren / export projects
//	@Description	Download aller gefilterten Vorhaben, eine Zeile je Vorhaben mit deutschen Spaltenköpfen (Slug, Titel, Status, Kategorie, Kooperation, Beteiligte, Beginn, Ende, Einwohner versorgt; für controlling und admin auch Budget geplant, Kosten ist, Einsparung geschätzt und dieselben Beträge je versorgtem Einwohner, auf den Cent gerundet wie cost_per_inhabitant der Statistik). Berechnete Spalten liest ein Import nicht (er übergeht sie). CSV: UTF-8 mit BOM, CRLF, RFC-4180-Quoting; `;` mit Dezimalkomma für deutsches Excel, `delimiter=comma` für `,` mit Dezimalpunkt. XLSX: typisierte Zellen (Datum, Euro-Beträge), fixierte Kopfzeile, Autofilter, zweites Blatt „Statistik“ nach Status. JSON: ein Array der Vorhaben wie in der Liste. Alle werden gestreamt. Ohne Token, wenn Lesen öffentlich ist (offene Daten, nie mit Finanzdaten); ETag und Last-Modified folgen der letzten Änderung. A download of every filtered project with German headers (also the population served and, with money, the amounts per inhabitant served, which an import reads past); CSV for German Excel or RFC 4180, XLSX with typed cells and a Statistik sheet, or a JSON array of the list's items; streamed. Anonymous when reads are public (open data, never with finance); ETag and Last-Modified follow the directory's last change.
//	@Tags			exports
//	@Produce		text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,json
//	@Param			format			query		string	false	"file format"	Enums(csv, xlsx, json)	default(csv)	example(json)
//	@Param			delimiter		query		string	false	"CSV separator: semicolon (German Excel, decimal comma) or comma (RFC 4180, decimal point)"	Enums(semicolon, comma)	default(semicolon)
//	@Param			sort			query		string	false	"comma list of title, slug, status, category, started_on, created_at, updated_at; - for descending"	example(-started_on,title)	maxLength(200)
//	@Param			status			query		[]string	false	"statuses, comma separated"	collectionFormat(csv)	Enums(idea, planned, in_progress, operational, suspended, completed, terminated, cancelled)	example(operational,in_progress)
//	@Param			category		query		[]string	false	"categories, comma separated"	collectionFormat(csv)	Enums(service_desk, archiving, network, data_center, software, information_security, organisation, online_services, other)	example(archiving,network)
//	@Param			cooperation		query		[]string	false	"cooperation ids or slugs, comma separated"	collectionFormat(csv)	example(it-kooperation-muenster-lwl)	maxLength(100)
//	@Param			solution		query		[]string	false	"solution ids or slugs, comma separated"	collectionFormat(csv)	example(dips-kommunal)	maxLength(100)
//	@Param			partner			query		[]string	false	"participant ids or slugs, comma separated (any role, or role)"	collectionFormat(csv)	example(citeq)	maxLength(100)
//	@Param			partner_ars		query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated: projects with a participant located there (its own ARS, else its parent's; 055 = Regierungsbezirk Münster)"	collectionFormat(csv)	example(055)	maxLength(12)
//	@Param			role			query		[]string	false	"participant roles, comma separated"	collectionFormat(csv)	Enums(lead, partner, provider, consumer, developer, operator, funder, observer)	example(provider)
//	@Param			tag				query		[]string	false	"tags, comma separated"	collectionFormat(csv)	example(rechenzentrum)	maxLength(100)
//	@Param			started_from	query		string	false	"started on or after (partial date)"	example(2016)	format(partial-date)
//	@Param			started_to		query		string	false	"started on or before (partial date, inclusive)"	example(2018-02)	format(partial-date)
//	@Param			as_of			query		string	false	"statuses as they stood on that date (partial date, from the history)"	example(2017-06)	format(partial-date)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only projects changed at or after this time (RFC 3339)"	format(date-time)
//	@Success		200				{file}		file	"the download"
//	@Header			200				{string}	Content-Disposition	"attachment with a dated file name, e.g. ikz-projekte-2026-11-26.csv"
//	@Header			200				{string}	ETag				"weak tag of the directory's data version, the query and the format"
//	@Header			200				{string}	Last-Modified		"time of the directory's last change"
//	@Success		304				"not modified (If-None-Match or If-Modified-Since)"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/exports/projects [get]
func (s *Server) handleExportProjects(c echo.Context) error {
	opt, sub, err := s.exportRequest(c, projectParams)
	if err != nil {
		return err
	}
	f, err := s.projectFilter(sub, "")
	if err != nil {
		return err
	}
	ctx, finance := c.Request().Context(), seesFinance(c)
	if opt.format == "json" {
		return s.writeJSONExport(c, "ikz-projekte", func(emit func(any) error) error {
			return s.svc.EachProject(ctx, f, func(p coop.Project) error { return emit(projectJSON{&p, finance}) })
		})
	}
	summary := func(x *export.XLSX) error {
		st, err := s.svc.ProjectStats(ctx, coop.StatsQuery{Filter: f, GroupBy: "status"})
		if err != nil {
			return err
		}
		cols, rows := statsSheet(st, finance)
		return x.AddSheet("Statistik", cols, rows)
	}
	return s.writeExport(c, opt, "ikz-projekte", "Vorhaben", withMoney(projectExportColumns, finance),
		func(emit func([]export.Cell) error) error {
			return s.svc.EachProject(ctx, f, func(p coop.Project) error { return emit(projectCells(p, finance)) })
		}, summary)
}

// handleExportPartners downloads partners.
//
//	@ID				exportPartners
//	@Summary		Partner exportieren / export partners
//	@Description	Download aller gefilterten Partner mit deutschen Spaltenköpfen (auch Versorgte Gebiete und, aus dem Gemeindeverzeichnis, Einwohner mit Stand und Fläche km², die ein Import übergeht), als CSV (wie bei den Vorhaben), XLSX oder JSON; gestreamt, ohne Token, wenn Lesen öffentlich ist. A download of every filtered partner (with the regions it serves and, from the register, population, its date and area, which an import reads past), CSV, XLSX or JSON, streamed; anonymous when reads are public.
//	@Tags			exports
//	@Produce		text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,json
//	@Param			format			query		string	false	"file format"	Enums(csv, xlsx, json)	default(csv)	example(json)
//	@Param			delimiter		query		string	false	"CSV separator: semicolon (German Excel) or comma (RFC 4180)"	Enums(semicolon, comma)	default(semicolon)
//	@Param			sort			query		string	false	"comma list of name, slug, type, state, created_at, updated_at; - for descending"	example(name)	maxLength(200)
//	@Param			type			query		[]string	false	"partner types, comma separated"	collectionFormat(csv)	Enums(municipality, district, regional_association, municipal_it_provider, department, special_purpose_association, municipal_enterprise, state_authority, federal_authority, company, other)	example(municipality,municipal_it_provider)
//	@Param			state			query		[]string	false	"ISO 3166-2 states, comma separated"	collectionFormat(csv)	Enums(DE-SH, DE-HH, DE-NI, DE-HB, DE-NW, DE-HE, DE-RP, DE-BW, DE-BY, DE-SL, DE-BE, DE-BB, DE-MV, DE-SN, DE-ST, DE-TH)	example(DE-NW)
//	@Param			parent			query		[]string	false	"parent ids or slugs, comma separated"	collectionFormat(csv)	example(stadt-muenster)	maxLength(100)
//	@Param			ars				query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated; a partner without an ARS of its own is located by its parent's (ars=05515: everything in Münster)"	collectionFormat(csv)	example(05515)	maxLength(12)
//	@Param			ags				query		[]string	false	"AGS prefixes (1 to 8 digits), comma separated; a partner without an AGS of its own is located by its parent's"	collectionFormat(csv)	example(05515000)	maxLength(8)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only partners changed at or after this time (RFC 3339)"	format(date-time)
//	@Param			region_status	query		[]string	false	"how the keys stand in the register in force (outdated: a key or served region vanished, e.g. a merged municipality), comma separated"	collectionFormat(csv)	Enums(current, outdated, missing)	example(outdated)
//	@Success		200				{file}		file	"the download"
//	@Header			200				{string}	Content-Disposition	"attachment with a dated file name, e.g. ikz-partner-2026-11-26.csv"
//	@Header			200				{string}	ETag				"weak tag of the directory's data version, the query and the format"
//	@Header			200				{string}	Last-Modified		"time of the directory's last change"
//	@Success		304				"not modified (If-None-Match or If-Modified-Since)"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/exports/partners [get]
func (s *Server) handleExportPartners(c echo.Context) error {
	opt, sub, err := s.exportRequest(c, partnerParams)
	if err != nil {
		return err
	}
	f, err := s.partnerFilter(sub)
	if err != nil {
		return err
	}
	if opt.format == "json" {
		reg := s.registerFor(c)
		return s.writeJSONExport(c, "ikz-partner", func(emit func(any) error) error {
			return s.svc.EachPartner(c.Request().Context(), f, func(p coop.Partner) error { return emit(partnerOut(p, reg)) })
		})
	}
	reg := s.registerFor(c)
	return s.writeExport(c, opt, "ikz-partner", "Partner", partnerExportColumns,
		func(emit func([]export.Cell) error) error {
			return s.svc.EachPartner(c.Request().Context(), f, func(p coop.Partner) error { return emit(partnerCells(p, reg)) })
		}, nil)
}

// handleExportCooperations downloads cooperations.
//
//	@ID				exportCooperations
//	@Summary		Kooperationen exportieren / export cooperations
//	@Description	Download aller gefilterten Kooperationen mit deutschen Spaltenköpfen und ihren Mitgliedern, als CSV (wie bei den Vorhaben), XLSX oder JSON; gestreamt, ohne Token, wenn Lesen öffentlich ist. A download of every filtered cooperation with its members, CSV, XLSX or JSON, streamed; anonymous when reads are public.
//	@Tags			exports
//	@Produce		text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,json
//	@Param			format			query		string	false	"file format"	Enums(csv, xlsx, json)	default(csv)	example(json)
//	@Param			delimiter		query		string	false	"CSV separator: semicolon (German Excel) or comma (RFC 4180)"	Enums(semicolon, comma)	default(semicolon)
//	@Param			sort			query		string	false	"comma list of title, slug, status, started_on, created_at, updated_at; - for descending"	example(title)	maxLength(200)
//	@Param			status			query		[]string	false	"statuses, comma separated"	collectionFormat(csv)	Enums(planned, active, suspended, ended)	example(active)
//	@Param			legal_form		query		[]string	false	"legal forms, comma separated"	collectionFormat(csv)	Enums(letter_of_intent, working_group, public_law_agreement, special_purpose_association, joint_municipal_enterprise, public_law_contract, private_law_contract, other)	example(letter_of_intent,public_law_agreement)
//	@Param			partner			query		[]string	false	"member partner ids or slugs, comma separated"	collectionFormat(csv)	example(lwl)	maxLength(100)
//	@Param			partner_ars		query		[]string	false	"ARS prefixes (1 to 12 digits), comma separated: cooperations with a member located there (its own ARS, else its parent's; 055 = Regierungsbezirk Münster)"	collectionFormat(csv)	example(055)	maxLength(12)
//	@Param			q				query		string	false	"full-text search"	maxLength(200)
//	@Param			updated_since	query		string	false	"only cooperations changed at or after this time (RFC 3339)"	format(date-time)
//	@Success		200				{file}		file	"the download"
//	@Header			200				{string}	Content-Disposition	"attachment with a dated file name, e.g. ikz-kooperationen-2026-11-26.csv"
//	@Header			200				{string}	ETag				"weak tag of the directory's data version, the query and the format"
//	@Header			200				{string}	Last-Modified		"time of the directory's last change"
//	@Success		304				"not modified (If-None-Match or If-Modified-Since)"
//	@Failure		400				{object}	Problem
//	@Failure		401				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Failure		429				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/exports/cooperations [get]
func (s *Server) handleExportCooperations(c echo.Context) error {
	opt, sub, err := s.exportRequest(c, cooperationParams)
	if err != nil {
		return err
	}
	f, err := s.cooperationFilter(sub)
	if err != nil {
		return err
	}
	if opt.format == "json" {
		return s.writeJSONExport(c, "ikz-kooperationen", func(emit func(any) error) error {
			return s.svc.EachCooperation(c.Request().Context(), f, func(co coop.Cooperation) error { return emit(cooperationOut(co)) })
		})
	}
	return s.writeExport(c, opt, "ikz-kooperationen", "Kooperationen", cooperationExportColumns,
		func(emit func([]export.Cell) error) error {
			return s.svc.EachCooperation(c.Request().Context(), f, func(co coop.Cooperation) error { return emit(cooperationCells(co)) })
		}, nil)
}
