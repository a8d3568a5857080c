package coop

import (
	"context"
	"time"
)

// Statuses of an import job.
const (
	ImportQueued    = "queued"
	ImportRunning   = "running"
	ImportSucceeded = "succeeded"
	ImportFailed    = "failed"
)

// ImportJob is a bulk import that runs in the background: its file waits until a
// worker takes it; Report is the finished report as JSON (the HTTP layer's form).
type ImportJob struct {
	ID, Status, Resource, Format, Mode string
	DryRun                             bool
	Actor                              Actor // whose rights and name the rows are written with
	File                               []byte
	RowsTotal, RowsDone, Attempts      int
	Report                             []byte
	CreatedAt, UpdatedAt               time.Time
	FinishedAt                         *time.Time
}

// ImportJobService keeps import jobs.
type ImportJobService interface {
	CreateImportJob(ctx context.Context, j ImportJob) error
	FindImportJob(ctx context.Context, id string) (ImportJob, error)
	ClaimImportJob(ctx context.Context, lease time.Duration) (ImportJob, bool, error)
	RenewImportJob(ctx context.Context, id string, lease time.Duration, rowsTotal, rowsDone int) error
	FinishImportJob(ctx context.Context, id, status string, rowsTotal, rowsDone int, report []byte) error
	ImportJobFile(ctx context.Context, id string) ([]byte, error)
}
