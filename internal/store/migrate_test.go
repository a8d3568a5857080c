package store_test

import (
	"context"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestMigrateFillsAGap: 00045 landed on main before 00035; a database migrated in
// between has 00045 without 00035. Starting a newer binary on it must apply the missing
// migration instead of refusing to start.
func TestMigrateFillsAGap(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.LeaveMigrationGap(ctx, 23, 45); err != nil {
			t.Fatal(err)
		}
		if current, err := db.SchemaCurrent(ctx); err != nil || current {
			t.Fatalf("with 00035 missing the schema reports current=%v, %v", current, err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate over the gap: %v", err)
		}
		if current, err := db.SchemaCurrent(ctx); err != nil || !current {
			t.Fatalf("after migrating: current=%v, %v", current, err)
		}
	})
}
