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

// demoState caches the answer of Demo: every API answer and page asks. One caller at
// a time reads the row again; the others take the answer at hand meanwhile.
type demoState struct {
	mu         sync.Mutex
	demo       bool
	checked    time.Time
	refreshing bool
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

// Demo reports whether the directory holds demo data (coop.DemoService): at most one
// small statement every demoRecheck, none once the answer is yes.
func (db *DB) Demo(ctx context.Context) (bool, error) {
	d := &db.demo
	d.mu.Lock()
	known := !d.checked.IsZero()
	if d.demo || known && (d.refreshing || db.now().Sub(d.checked) < demoRecheck) {
		demo := d.demo
		d.mu.Unlock()
		return demo, nil
	}
	d.refreshing = true
	d.mu.Unlock()
	var n int64
	err := db.read(coop.WithFreshReads(ctx), func(x sqldb.Executor) error {
		_, err := sqldb.QueryRow(ctx, x, sqldb.Raw("SELECT count(*) FROM demo_data"), &n)
		return err
	})
	d.mu.Lock()
	defer d.mu.Unlock()
	d.refreshing = false
	if err != nil {
		return d.demo, translate(err)
	}
	d.demo, d.checked = d.demo || n > 0, db.now()
	return d.demo, nil
}

var _ coop.DemoService = (*DB)(nil)
