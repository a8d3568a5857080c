package store

import "context"

// DataVersion returns the directory's data version: a number that grows with every
// write (table data_versions, kept by a trigger in every write's transaction,
// migration 00021), read on the primary. The web pages key the choices of their filter
// forms on it (one small statement instead of reading every partner per page); search
// keys its cache on it (internal/search). It is DataStamp's version (opendata.go).
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	st, err := db.DataStamp(ctx)
	return st.Version, err
}
