package store

import "context"

// DataVersion returns a number that changes with every accepted write anywhere in the
// directory (the data_version row the search cache keys on). The web pages key the
// choices of their filter forms (e.g. every partner) on it: one tiny statement instead
// of reading the partners for every page.
func (db *DB) DataVersion(ctx context.Context) (int64, error) { return db.dataVersion(ctx) }
