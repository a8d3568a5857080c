package store

import "context"

// DataVersion returns the directory's data version: the id of the newest change-log
// entry (table data_version, kept by a trigger in every write's transaction), read on
// the primary. The web pages key the choices of their filter forms on it (one small
// statement instead of reading every partner per page); search keys its cache on the
// same row (internal/search).
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	db.statements.Add(1)
	var v int64
	err := db.sql.QueryRowContext(ctx, "SELECT id FROM data_version").Scan(&v)
	return v, translate(err)
}
