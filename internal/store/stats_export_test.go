package store

import (
	"context"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Test-only exports of the statistics' two paths, for package store_test.

// ScannedProjectStats is ProjectStats by GROUP BY over the projects, never from the
// counters.
func (db *DB) ScannedProjectStats(ctx context.Context, q coop.StatsQuery) (st coop.Stats, err error) {
	set, err := db.projectSet(ctx, q.Filter, statsCols)
	if err != nil {
		return st, err
	}
	reg, err := db.register(ctx)
	if err != nil {
		return st, err
	}
	err = db.session(ctx, func(conn *gorm.DB) error {
		if st, err = db.scannedStats(conn, q, set); err != nil {
			return err
		}
		return populationServed(conn, reg, q, set, &st)
	})
	return st, err
}

// CountedProjectStats is ProjectStats from project_counts; ok is false when the
// counters cannot answer q.
func (db *DB) CountedProjectStats(ctx context.Context, q coop.StatsQuery) (st coop.Stats, ok bool, err error) {
	set, err := db.projectSet(ctx, q.Filter, statsCols)
	if err != nil {
		return st, false, err
	}
	reg, err := db.register(ctx)
	if err != nil {
		return st, false, err
	}
	err = db.session(ctx, func(conn *gorm.DB) (err error) {
		var rows []coop.StatsGroup
		if rows, ok, err = db.countedStats(conn, q); err != nil || !ok {
			return err
		}
		st = statsOf(q.GroupBy, rows, sumGroups(rows))
		return populationServed(conn, reg, q, set, &st) // the same for every way of counting
	})
	if err != nil || !ok {
		return coop.Stats{}, ok, err
	}
	return st, true, nil
}

// ProjectSetSQL is the statement of the statistics' project set for f.
func (db *DB) ProjectSetSQL(f coop.ProjectFilter) (string, error) {
	set, err := db.projectSet(context.Background(), f, statsCols)
	return set.SQL, err
}

// RedoMigrationsAfter rolls the schema back to version and migrates up again.
func (db *DB) RedoMigrationsAfter(ctx context.Context, version int64) error {
	return db.downThen(ctx, version, func(p *goose.Provider) error { _, err := p.Up(ctx); return err })
}

// LeaveMigrationGap migrates db down to version below and applies only version apply
// above it: a database migrated by a commit on which a higher migration had landed
// before a lower one.
func (db *DB) LeaveMigrationGap(ctx context.Context, below, apply int64) error {
	return db.downThen(ctx, below, func(p *goose.Provider) error { _, err := p.ApplyVersion(ctx, apply, true); return err })
}

// downThen migrates db down to version with goose's default provider, then runs next on it.
func (db *DB) downThen(ctx context.Context, version int64, next func(*goose.Provider) error) error {
	sub, dialect, err := db.migrationsOf()
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, db.primary(), sub)
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return err
	}
	return next(p)
}
