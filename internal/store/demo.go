package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// A directory of invented data carries one row in demo_data (migration 00022), written
// by MarkDemo before the data is loaded (benchdata.LoadDemo), so that a load cut off
// halfway is marked too. The row is never removed: such a directory stays a demo.

// ErrNotEmpty refuses demo data for a directory that already holds data.
var ErrNotEmpty = errors.New("the directory is not empty: demo data goes into an empty database only")

// demoRecheck is how long a "no demo data" answer is kept; a "yes" is kept for good.
const demoRecheck = 2 * time.Second

// demoState caches the answer of Demo: every API answer and page asks. load lets one
// reader of the row at a time.
type demoState struct {
	load    sync.Mutex
	mu      sync.Mutex
	demo    bool
	checked time.Time
}

// state returns the cached answer, whether there is one, and whether it is recent.
func (d *demoState) state(now time.Time) (demo, known, fresh bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	known = !d.checked.IsZero()
	return d.demo, known, d.demo || known && now.Sub(d.checked) < demoRecheck
}

// MarkDemo marks the directory as demo data, in one write transaction that first
// checks that it holds no partner, cooperation, project or solution (deleted ones
// included) and no mark yet; otherwise ErrNotEmpty and nothing written.
func (db *DB) MarkDemo(ctx context.Context, seed uint64) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		err := tx.Raw(`SELECT (SELECT count(*) FROM partners) + (SELECT count(*) FROM cooperations)
			+ (SELECT count(*) FROM projects) + (SELECT count(*) FROM solutions)
			+ (SELECT count(*) FROM demo_data)`).Scan(&n).Error
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrNotEmpty
		}
		return tx.Exec("INSERT INTO demo_data (one, seed, loaded_at) VALUES (1, ?, ?)", int64(seed), db.now()).Error
	})
	if err != nil {
		if errors.Is(err, ErrNotEmpty) {
			return err
		}
		return translate(err)
	}
	db.demo.mu.Lock()
	db.demo.demo, db.demo.checked = true, db.now()
	db.demo.mu.Unlock()
	return nil
}

// Demo reports whether the directory holds demo data (coop.DemoService). Only the
// first call waits for the row; later, an answer older than demoRecheck is read again
// in the background by one goroutine while callers take the answer at hand, so no
// request waits for a connection for it. A yes is kept for good.
func (db *DB) Demo(ctx context.Context) (bool, error) {
	d := &db.demo
	demo, known, fresh := d.state(db.now())
	switch {
	case fresh:
		return demo, nil
	case known:
		if d.load.TryLock() {
			go func() {
				defer d.load.Unlock()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_, _ = db.readDemo(ctx)
			}()
		}
		return demo, nil
	}
	d.load.Lock()
	defer d.load.Unlock()
	if demo, _, fresh := d.state(db.now()); fresh {
		return demo, nil
	}
	return db.readDemo(ctx)
}

// readDemo reads the demo_data row into the cache.
func (db *DB) readDemo(ctx context.Context) (bool, error) {
	var n int64
	err := db.read(coop.WithFreshReads(ctx), func(x sqldb.Executor) error {
		_, err := sqldb.QueryRow(ctx, x, sqldb.Raw("SELECT count(*) FROM demo_data"), &n)
		return err
	})
	d := &db.demo
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		return d.demo, translate(err)
	}
	d.demo, d.checked = d.demo || n > 0, db.now()
	return d.demo, nil
}

var _ coop.DemoService = (*DB)(nil)
