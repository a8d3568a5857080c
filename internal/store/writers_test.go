package store_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// On PostgreSQL at most MaxWriters write transactions run at once; the next one waits
// its turn and starts as soon as one ends, and reads meanwhile keep the rest of the
// pool.
func TestWriteTransactionsAtOnce(t *testing.T) {
	db, err := storetest.Open(t, storetest.MustCreatePostgresURL(t), store.Options{MaxOpenConns: 6, MaxWriters: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	core := storetest.Core(db)
	entered := make(chan int, 3)
	release := make(chan struct{})
	done := make(chan error, 3)
	for i := range 3 {
		go func() {
			done <- core.Tx(ctx, func(tx *gorm.DB) error {
				entered <- i
				<-release
				return tx.Exec("SELECT 1").Error
			})
		}()
	}
	// two writers are in; the third waits
	first, second := <-entered, <-entered
	select {
	case third := <-entered:
		t.Fatalf("writers %d, %d and %d ran at once; at most 2 may", first, second, third)
	case <-time.After(300 * time.Millisecond):
	}
	// a read does not wait for the writers
	if _, err := db.FindPartners(ctx, coop.PartnerFilter{}); err != nil {
		t.Fatalf("a read while the writers are full: %v", err)
	}
	release <- struct{}{} // one writer ends: the third starts
	<-entered
	close(release)
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
