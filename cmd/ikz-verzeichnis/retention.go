package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// pruneInterval is how often the change log is trimmed to IKZ_CHANGES_RETENTION.
const pruneInterval = time.Hour

// pruneChanges deletes change-log entries older than retention, at start and then
// hourly, until ctx ends. Every replica may run it: the DELETE is idempotent.
func pruneChanges(ctx context.Context, db *store.DB, retention time.Duration, log *slog.Logger) {
	t := time.NewTicker(pruneInterval)
	defer t.Stop()
	for {
		n, err := db.PruneChanges(ctx, time.Now().Add(-retention))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("pruning the change log failed", "err", err.Error())
		case n > 0:
			log.Info("change log pruned", "deleted", n, "retention", retention.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
