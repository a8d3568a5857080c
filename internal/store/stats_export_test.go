package store

import (
	"context"
	"io/fs"

	"github.com/pressly/goose/v3"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Test-only exports of the statistics' two paths, for package store_test.

// ScannedProjectStats is ProjectStats by GROUP BY over the projects, never from the
// counters.
func (db *DB) ScannedProjectStats(ctx context.Context, q coop.StatsQuery) (coop.Stats, error) {
	return db.scannedStats(db.gorm.WithContext(ctx), q)
}

// CountedProjectStats is ProjectStats from project_counts; ok is false when the
// counters cannot answer q.
func (db *DB) CountedProjectStats(ctx context.Context, q coop.StatsQuery) (st coop.Stats, ok bool, err error) {
	rows, ok, err := db.countedStats(db.gorm.WithContext(ctx), q)
	if err != nil || !ok {
		return coop.Stats{}, ok, err
	}
	return statsOf(q.GroupBy, rows, sumGroups(rows)), true, nil
}

// ProjectSetSQL is the statement of the statistics' project set for f.
func (db *DB) ProjectSetSQL(f coop.ProjectFilter) (string, error) {
	set, err := db.projectSet(context.Background(), f, statsCols)
	return set.SQL, err
}

// RedoMigrationsAfter rolls the schema back to version and migrates up again.
func (db *DB) RedoMigrationsAfter(ctx context.Context, version int64) error {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.sql, sub)
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}
