package store

import (
	"context"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// DataVersion returns the directory's data version: the id of the newest change-log
// entry (table data_version, kept by a trigger in every write's transaction), read on
// the primary. The web pages key the choices of their filter forms on it (one small
// statement instead of reading every partner per page); search keys its cache on the
// same row (internal/search).
func (db *DB) DataVersion(ctx context.Context) (v int64, err error) {
	err = db.read(coop.WithFreshReads(ctx), func(x sqldb.Executor) error {
		_, err := sqldb.QueryRow(ctx, x, sqldb.Raw("SELECT id FROM data_version"), &v)
		return err
	})
	return v, err
}
