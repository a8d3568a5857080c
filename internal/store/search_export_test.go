package store

import "context"

// Test-only exports for the black-box tests and benchmarks of package store_test.

// ReindexSearch exposes reindexSearch: it returns how many documents it wrote.
func (db *DB) ReindexSearch(ctx context.Context) (int, error) { return db.reindexSearch(ctx) }
