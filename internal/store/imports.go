package store

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Import jobs: a large import file waits in import_jobs (migration 00019) until a
// worker claims it; the claim is a lease, so that a job whose process died (a restart,
// a crash) is claimed again once its lease ran out and runs from the start — its rows
// were applied in one transaction (Batch), which the death rolled back. After
// MaxImportAttempts claims it is failed instead. The file is dropped when the job is
// done.

// MaxImportAttempts is how often a job is started before it is given up as failed.
const MaxImportAttempts = 3

// ImportJobService keeps the import jobs.
type ImportJobService struct{ *base }

type importJobRow struct {
	ID         string `gorm:"primaryKey"`
	Status     string
	Resource   string
	Format     string
	Mode       string
	DryRun     bool
	Actor      string
	File       []byte
	RowsTotal  int
	RowsDone   int
	Report     string
	Attempts   int
	LeaseUntil *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

func (importJobRow) TableName() string { return "import_jobs" }

type actorJSON struct {
	Type     string   `json:"type"`
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Roles    []string `json:"roles"`
	Partners []string `json:"partners,omitempty"`
}

func (r importJobRow) job() coop.ImportJob {
	var a actorJSON
	_ = json.Unmarshal([]byte(r.Actor), &a)
	return coop.ImportJob{ID: r.ID, Status: r.Status, Resource: r.Resource, Format: r.Format, Mode: r.Mode,
		DryRun: r.DryRun, Actor: coop.Actor{Type: a.Type, ID: a.ID, Name: a.Name, Roles: a.Roles, Partners: a.Partners},
		File: r.File, RowsTotal: r.RowsTotal, RowsDone: r.RowsDone, Report: []byte(r.Report), Attempts: r.Attempts,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), FinishedAt: r.FinishedAt}
}

// CreateImportJob queues a job (status queued) with its file.
func (s *ImportJobService) CreateImportJob(ctx context.Context, j coop.ImportJob) error {
	a, err := json.Marshal(actorJSON{Type: j.Actor.Type, ID: j.Actor.ID, Name: j.Actor.Name, Roles: j.Actor.Roles, Partners: j.Actor.Partners})
	if err != nil {
		return err
	}
	now := s.now()
	row := importJobRow{ID: j.ID, Status: coop.ImportQueued, Resource: j.Resource, Format: j.Format, Mode: j.Mode,
		DryRun: j.DryRun, Actor: string(a), File: j.File, Report: "{}", CreatedAt: now, UpdatedAt: now}
	return s.tx(ctx, func(q *gorm.DB) error { return q.Create(&row).Error })
}

// FindImportJob reads a job (without its file).
func (s *ImportJobService) FindImportJob(ctx context.Context, id string) (coop.ImportJob, error) {
	if !isUUID(id) {
		return coop.ImportJob{}, coop.Errorf(coop.ENotFound, "Import nicht gefunden / import not found")
	}
	var row importJobRow
	err := s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		return q.Omit("file").Where("id = ?", id).Take(&row).Error
	})
	if err != nil {
		if coop.ErrorCode(err) == coop.ENotFound {
			return coop.ImportJob{}, coop.Errorf(coop.ENotFound, "Import nicht gefunden / import not found")
		}
		return coop.ImportJob{}, err
	}
	return row.job(), nil
}

// ClaimImportJob takes the oldest job that is queued, or running with its lease run
// out (its process died), for lease: its status becomes running and its attempts
// grow by one. ok is false when there is none. A job already started
// MaxImportAttempts times is failed instead (and the next one looked at).
func (s *ImportJobService) ClaimImportJob(ctx context.Context, lease time.Duration) (job coop.ImportJob, ok bool, err error) {
	ctx = coop.WithFreshReads(ctx)
	for {
		now := s.now()
		var row importJobRow
		err = s.session(ctx, func(q *gorm.DB) error {
			return q.Where("status = ? OR (status = ? AND lease_until < ?)", coop.ImportQueued, coop.ImportRunning, now).
				Order("created_at, id").Limit(1).Find(&row).Error
		})
		if err != nil || row.ID == "" {
			return coop.ImportJob{}, false, err
		}
		if row.Attempts >= MaxImportAttempts {
			report, _ := json.Marshal(map[string]any{"errors": []map[string]any{{"row": 0, "code": "interrupted",
				"message": "Der Import wurde mehrfach unterbrochen und nicht angewendet / interrupted too often, nothing applied"}}})
			if err := s.FinishImportJob(ctx, row.ID, coop.ImportFailed, row.RowsTotal, 0, report); err != nil {
				return coop.ImportJob{}, false, err
			}
			continue
		}
		until := now.Add(lease)
		var claimed int64
		err = s.tx(ctx, func(q *gorm.DB) error {
			res := q.Model(&importJobRow{}).Where("id = ? AND attempts = ? AND status = ?", row.ID, row.Attempts, row.Status).
				Updates(map[string]any{"status": coop.ImportRunning, "attempts": row.Attempts + 1, "lease_until": until,
					"rows_done": 0, "updated_at": now})
			claimed = res.RowsAffected
			return res.Error
		})
		if err != nil {
			return coop.ImportJob{}, false, err
		}
		if claimed == 1 {
			row.Status, row.Attempts, row.LeaseUntil, row.RowsDone = coop.ImportRunning, row.Attempts+1, &until, 0
			return row.job(), true, nil
		}
		// another worker was quicker: look again
	}
}

// RenewImportJob extends a running job's lease and records its progress.
func (s *ImportJobService) RenewImportJob(ctx context.Context, id string, lease time.Duration, rowsTotal, rowsDone int) error {
	now := s.now()
	return s.tx(ctx, func(q *gorm.DB) error {
		return q.Model(&importJobRow{}).Where("id = ? AND status = ?", id, coop.ImportRunning).
			Updates(map[string]any{"lease_until": now.Add(lease), "rows_total": rowsTotal, "rows_done": rowsDone, "updated_at": now}).Error
	})
}

// FinishImportJob records a job's end: its status (succeeded or failed), counts and
// report; its file is dropped.
func (s *ImportJobService) FinishImportJob(ctx context.Context, id, status string, rowsTotal, rowsDone int, report []byte) error {
	now := s.now()
	return s.tx(ctx, func(q *gorm.DB) error {
		return q.Model(&importJobRow{}).Where("id = ?", id).Updates(map[string]any{"status": status, "report": string(report),
			"rows_total": rowsTotal, "rows_done": rowsDone, "file": nil, "lease_until": nil, "finished_at": now, "updated_at": now}).Error
	})
}

// ImportJobFile reads a claimed job's file.
func (s *ImportJobService) ImportJobFile(ctx context.Context, id string) ([]byte, error) {
	var row importJobRow
	err := s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) error {
		return q.Select("id", "file").Where("id = ?", id).Take(&row).Error
	})
	return row.File, err
}
