package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

//go:embed migrations
var migrations embed.FS

// migrationsOf returns the migrations of db's dialect and goose's name of it.
func (db *DB) migrationsOf() (fs.FS, goose.Dialect, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.core.Dialect()))
	if db.core.Dialect() == sqldb.Postgres {
		return sub, goose.DialectPostgres, err
	}
	return sub, goose.DialectSQLite3, err
}

// newProvider is goose's provider for db's migrations. Migrations written in parallel may
// land on main in another order than their numbers (00045 before 00035 did): a database
// migrated in between lacks a lower version, and goose's default refuses it. Applying it
// out of order is safe here because every migration stands on its own.
func newProvider(dialect goose.Dialect, db *DB, sub fs.FS, opts ...goose.ProviderOption) (*goose.Provider, error) {
	return goose.NewProvider(dialect, db.primary(), sub, append(opts, goose.WithAllowOutofOrder(true))...)
}

// Migrate applies every pending migration of this dialect. On PostgreSQL it holds an
// advisory lock meanwhile, so replicas starting together migrate once.
func (db *DB) Migrate(ctx context.Context) error {
	sub, dialect, err := db.migrationsOf()
	if err != nil {
		return err
	}
	var opts []goose.ProviderOption
	if dialect == goose.DialectPostgres {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := newProvider(dialect, db, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// Search documents are computed in Go, so SQL migrations cannot write them: index
	// every resource without a current one (see reindexSearch).
	if _, err := db.reindexSearch(ctx); err != nil {
		return err
	}
	return nil
}

// SchemaCurrent reports whether every migration of this binary has been applied: a
// server that does not migrate on its own start (IKZ_MIGRATE_ON_START=false) waits
// for it before it reports ready and seeds.
func (db *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	sub, dialect, err := db.migrationsOf()
	if err != nil {
		return false, err
	}
	p, err := newProvider(dialect, db, sub)
	if err != nil {
		return false, fmt.Errorf("migrations: %w", err)
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, translate(err)
	}
	return !pending, nil
}
