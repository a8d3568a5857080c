package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/imports"
)

// DefaultImportMaxBytes bounds an import file unless Options.ImportMaxBytes says
// otherwise.
const DefaultImportMaxBytes = 32 << 20

const importsPath = "/api/v1/imports"

var importParams = []string{"resource", "dry_run", "mode"}

// importRequest reads an import's parameters and its file: the resource, dry_run,
// mode, the format from the Content-Type, the body within the import's size limit.
func (s *Server) importRequest(c echo.Context) (ImportRequest, []byte, error) {
	q := newQuery(c)
	q.known(importParams...)
	if q.err != nil {
		return ImportRequest{}, nil, q.err
	}
	var req ImportRequest
	var err error
	v := c.QueryParams()
	if v.Get("resource") == "" {
		return req, nil, badRequest("resource fehlt: partners, cooperations oder projects / resource missing: partners, cooperations or projects")
	}
	if req.Resource, err = choice(v.Get("resource"), "resource", "", []string{"partners", "cooperations", "projects"}); err != nil {
		return req, nil, err
	}
	if req.Mode, err = choice(v.Get("mode"), "mode", ImportUpsert, []string{ImportUpsert, ImportCreate}); err != nil {
		return req, nil, err
	}
	dry, err := choice(v.Get("dry_run"), "dry_run", "false", []string{"true", "false"})
	if err != nil {
		return req, nil, err
	}
	req.DryRun = dry == "true"
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, params, perr := mime.ParseMediaType(ct)
	if perr == nil {
		req.Format = imports.FormatOf(mt)
	}
	if req.Format == "" {
		return req, nil, coop.Errorf(coop.EUnsupported, "Content-Type %q wird nicht unterstützt; erwartet text/csv, %s, application/json oder application/x-ndjson / not supported; expected text/csv, %[2]s, application/json or application/x-ndjson",
			clip(ct, 100), imports.MIMEXLSX)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return req, nil, coop.Errorf(coop.EUnsupported, "charset %q wird nicht unterstützt; nur UTF-8 / only charset=utf-8", clip(cs, 40))
	}
	limit := s.opt.ImportMaxBytes
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return req, nil, coop.Errorf(coop.ETooLarge, "Die Datei ist größer als %d Bytes / file too large", limit)
		}
		return req, nil, coop.Errorf(coop.EInvalid, "Body nicht lesbar / body not readable")
	}
	if len(body) == 0 {
		return req, nil, coop.Errorf(coop.EInvalid, "Die Datei ist leer / empty file")
	}
	req.Limits = s.opt.ImportLimits
	return req, body, nil
}

// fileProblem turns a problem of the file as a whole into a 422 naming its row.
func fileProblem(err error) error {
	var fe *imports.FileError
	if !errors.As(err, &fe) {
		return err
	}
	var vs coop.Violations
	field := "(file)"
	if fe.Line > 0 {
		field = "row " + strconv.Itoa(fe.Line)
	}
	vs.Add(field, "file", "%s", fe.Message)
	return vs.Err()
}

// handleImportCreate imports a file.
//
//	@ID				createImport
//	@Summary		Massenimport / bulk import
//	@Description	Legt Partner, Kooperationen oder Vorhaben aus einer Datei an oder ändert sie (upsert nach Slug: nur die Spalten der Datei werden übernommen; eine leere Zelle leert ihr Feld). CSV (`;` oder `,`, UTF-8) und XLSX im Layout des Exports mit dessen deutschen Spaltenköpfen (Namen, deutsche Bezeichnungen, „Name (Rolle)“-Listen und deutsche Datums- und Betragsformen werden verstanden; ebenso Slugs, Codes und `slug:rolle`), JSON-Array oder NDJSON mit den Feldern der API. Jede Zeile durchläuft dieselben Prüfungen wie POST und PATCH; alle Zeilen oder keine werden geschrieben; eine Zeile ohne Änderung schreibt nichts. `dry_run=true` prüft nur und berichtet je Zeile und Spalte. Große Dateien (über 256 KiB, oder mit `Prefer: respond-async`) laufen als Auftrag: 202 mit Location, Zustand und Bericht unter GET /api/v1/imports/{id}. Rollen editor (in seinen Partnern) und admin. Creates or updates partners, cooperations or projects from a file (upsert by slug; only the file's columns are merged; an empty cell clears its field): CSV or XLSX in the export's layout, or a JSON array or NDJSON with the API's fields. Every row is checked as POST and PATCH check a body; all rows or none are written; a row that changes nothing writes nothing. dry_run=true checks only and reports per row and column. Large files (over 256 KiB, or with Prefer: respond-async) run as a job: 202 with Location; its state and report at GET /api/v1/imports/{id}.
//	@Tags			imports
//	@Accept			text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,json,application/x-ndjson
//	@Produce		json
//	@Param			resource	query		string	true	"what the rows are"	Enums(partners, cooperations, projects)	example(projects)
//	@Param			dry_run		query		bool	false	"check only, write nothing"	default(false)	example(true)
//	@Param			mode		query		string	false	"upsert: create or merge by slug; create: an existing slug is an error"	Enums(upsert, create)	default(upsert)	example(upsert)
//	@Param			body		body		string	true	"the file"
//	@Param			Prefer		header		string	false	"respond-async: run as a job even if small"	example(respond-async)	maxLength(200)
//	@Success		200			{object}	ImportReport
//	@Success		202			{object}	ImportReport
//	@Header			202			{string}	Location	"the job: GET it for its state and report"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		422			{object}	Problem
//	@Failure		503			{object}	Problem
//	@Failure		429			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/imports [post]
func (s *Server) handleImportCreate(c echo.Context) error {
	if err := canWrite(c); err != nil {
		return err
	}
	req, body, err := s.importRequest(c)
	if err != nil {
		return err
	}
	if s.wantsAsync(c, len(body)) {
		return s.startImportJob(c, req, body)
	}
	ctx := c.Request().Context()
	report := &ImportReport{ID: uuid.NewString(), Status: coop.ImportRunning}
	if err := s.RunImport(ctx, req, body, report, nil); err != nil {
		return fileProblem(err)
	}
	if err := s.RecordImport(ctx, req, report); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, report)
}

// RecordImport keeps the report of an import that ran at once as a finished job, so
// that the import_id of its changes leads to it (GET /api/v1/imports/{id}).
func (s *Server) RecordImport(ctx context.Context, req ImportRequest, report *ImportReport) error {
	rec, err := json.Marshal(report)
	if err != nil {
		return err
	}
	job := coop.ImportJob{ID: report.ID, Resource: req.Resource, Format: string(req.Format), Mode: req.Mode,
		DryRun: req.DryRun, Actor: coop.ActorFrom(ctx)}
	if err := s.svc.CreateImportJob(ctx, job); err != nil {
		return err
	}
	return s.svc.FinishImportJob(ctx, job.ID, report.Status, report.RowsTotal, report.RowsDone, rec)
}
