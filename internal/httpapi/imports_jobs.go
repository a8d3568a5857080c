package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/imports"
)

// A file larger than Options.ImportSyncBytes (or sent with Prefer: respond-async)
// runs as a job: it is stored (import_jobs), answered 202 with its Location, and
// applied by the worker (RunImportJobs) under a lease it renews while it works. A job
// whose process died is taken again once its lease ran out and runs from the start:
// its rows were one transaction, so nothing of the first run remained.

const (
	// DefaultImportSyncBytes is the largest file answered at once.
	DefaultImportSyncBytes = 256 << 10
	// importLease is how long a claimed job is its worker's without a renewal.
	importLease = time.Minute
	// importPoll is how often an idle worker looks for jobs of other processes.
	importPoll = 2 * time.Second
)

// importJobs is this process's side of the jobs: a wake-up for the worker and the
// progress of the job it runs.
type importJobs struct {
	wake chan struct{}
	live sync.Map // job id → *importProgress
}

// importProgress is a running job's rows done and total.
type importProgress struct{ done, total atomic.Int64 }

// containsToken tells whether a comma list of header values names token (any
// parameters after ';' ignored, case-insensitive).
func containsToken(header, token string) bool {
	for _, p := range strings.Split(header, ",") {
		name, _, _ := strings.Cut(p, ";")
		if strings.EqualFold(strings.TrimSpace(name), token) {
			return true
		}
	}
	return false
}

func (s *Server) wakeImportWorker() {
	select {
	case s.jobs.wake <- struct{}{}:
	default:
	}
}

// RunImportJobs is the worker: it applies queued import jobs one at a time until ctx
// ends. A job interrupted by the end of ctx is handed back (its lease ends at once),
// so that the next start takes it again.
func (s *Server) RunImportJobs(ctx context.Context) {
	for ctx.Err() == nil {
		job, ok, err := s.svc.ClaimImportJob(ctx, importLease)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("import jobs: claim", "error", err)
		}
		if err != nil || !ok {
			select {
			case <-ctx.Done():
			case <-s.jobs.wake:
			case <-time.After(importPoll):
			}
			continue
		}
		s.runImportJob(ctx, job)
	}
}

func (s *Server) runImportJob(ctx context.Context, job coop.ImportJob) {
	report := &ImportReport{ID: job.ID, Status: coop.ImportRunning}
	prog := new(importProgress)
	s.jobs.live.Store(job.ID, prog)
	defer s.jobs.live.Delete(job.ID)
	// the lease is renewed while the job runs, with its progress
	beat, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(importLease / 4)
		defer t.Stop()
		for {
			select {
			case <-beat.Done():
				return
			case <-t.C:
				_ = s.svc.RenewImportJob(beat, job.ID, importLease, int(prog.total.Load()), int(prog.done.Load()))
			}
		}
	}()
	file, err := s.svc.ImportJobFile(ctx, job.ID)
	if err == nil {
		jctx := coop.WithActor(ctx, job.Actor)
		req := ImportRequest{Resource: job.Resource, Format: imports.Format(job.Format), Mode: job.Mode, DryRun: job.DryRun,
			Limits: s.opt.ImportLimits}
		err = s.RunImport(jctx, req, file, report, func(done, total int) {
			prog.done.Store(int64(done))
			prog.total.Store(int64(total))
		})
	}
	stop()
	wg.Wait()
	bg := context.WithoutCancel(ctx)
	if ctx.Err() != nil {
		// stopped (a shutdown): hand the job back; its transaction was rolled back
		if err := s.svc.RenewImportJob(bg, job.ID, 0, report.RowsTotal, 0); err != nil {
			s.log.Warn("import jobs: hand back", "job", job.ID, "error", err)
		}
		return
	}
	if err != nil {
		report.Status = coop.ImportFailed
		var fe *imports.FileError
		var ce *coop.Error
		switch {
		case errors.As(err, &fe):
			report.Errors = append(report.Errors, ImportError{Row: fe.Line, Code: "file", Message: fe.Message})
		case errors.As(err, &ce) && ce.Code != coop.EInternal:
			report.Errors = append(report.Errors, ImportError{Code: string(ce.Code), Message: ce.Message})
		default:
			s.log.Error("import job failed", "job", job.ID, "error", err)
			report.Errors = append(report.Errors, ImportError{Code: "internal",
				Message: "Interner Fehler; nichts wurde geschrieben / internal error, nothing written"})
		}
	}
	body, _ := json.Marshal(report)
	if err := s.svc.FinishImportJob(bg, job.ID, report.Status, report.RowsTotal, report.RowsDone, body); err != nil {
		s.log.Error("import jobs: finish", "job", job.ID, "error", err)
	}
}

// startImportJob stores the file as a job and answers 202 with its Location.
func (s *Server) startImportJob(c echo.Context, req ImportRequest, body []byte) error {
	ctx := c.Request().Context()
	job := coop.ImportJob{ID: newRequestID(), Resource: req.Resource, Format: string(req.Format), Mode: req.Mode,
		DryRun: req.DryRun, Actor: coop.ActorFrom(ctx), File: body}
	if err := s.svc.CreateImportJob(ctx, job); err != nil {
		return err
	}
	s.wakeImportWorker()
	c.Response().Header().Set("Location", importsPath+"/"+job.ID)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusAccepted, ImportReport{ID: job.ID, Status: coop.ImportQueued, Resource: req.Resource,
		Mode: req.Mode, DryRun: req.DryRun, Errors: []ImportError{}, Results: []ImportRowResult{}})
}

// wantsAsync: a large file, or the client asked for a job (RFC 7240).
func (s *Server) wantsAsync(c echo.Context, size int) bool {
	if int64(size) > s.opt.ImportSyncBytes {
		return true
	}
	for _, p := range c.Request().Header.Values("Prefer") {
		if containsToken(p, "respond-async") {
			return true
		}
	}
	return false
}

// handleImportGet shows an import job.
//
//	@ID				getImport
//	@Summary		Importauftrag abrufen / get an import job
//	@Description	Status (queued, running, succeeded, failed), Fortschritt (rows_done von rows_total) und, wenn fertig, der Bericht eines Imports — eines Auftrags oder eines sofort beantworteten (die import_id seiner Änderungen im Feed). Sichtbar für den, der ihn gestartet hat, und für admin. The state, progress and, once done, the report of an import, a job or one answered at once (the import_id of its changes in the feed); visible to whoever started it and to admins.
//	@Tags			imports
//	@Produce		json
//	@Param			id	path		string	true	"id of the import"	format(uuid)	example(3f2b8c1a-4d5e-4f60-8a7b-9c0d1e2f3a4b)
//	@Success		200	{object}	ImportReport
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		503	{object}	Problem
//	@Failure		429	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Security		BearerAuth
//	@Router			/api/v1/imports/{id} [get]
func (s *Server) handleImportGet(c echo.Context) error {
	if err := canWrite(c); err != nil {
		return err
	}
	job, err := s.svc.FindImportJob(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	me := coop.ActorFrom(c.Request().Context())
	if !auth.CanRestore(principal(c)) && (job.Actor.Type != me.Type || job.Actor.ID != me.ID) {
		return coop.Errorf(coop.ENotFound, "Import nicht gefunden / import not found")
	}
	var rep ImportReport
	if len(job.Report) > 2 {
		if err := json.Unmarshal(job.Report, &rep); err != nil {
			return err
		}
	}
	rep.ID, rep.Status, rep.Resource, rep.Mode, rep.DryRun = job.ID, job.Status, job.Resource, job.Mode, job.DryRun
	rep.RowsTotal, rep.RowsDone = job.RowsTotal, job.RowsDone
	if p, ok := s.jobs.live.Load(job.ID); ok && job.Status == coop.ImportRunning {
		rep.RowsDone, rep.RowsTotal = int(p.(*importProgress).done.Load()), int(p.(*importProgress).total.Load())
	}
	if rep.Errors == nil {
		rep.Errors = []ImportError{}
	}
	if rep.Results == nil {
		rep.Results = []ImportRowResult{}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, rep)
}
