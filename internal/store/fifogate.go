package store

import (
	"context"
	"database/sql"
)

// fifoGate hands a pool's connections to the reads waiting for one in the order they
// came. database/sql gives a returned connection to a random waiter (its
// connRequestSet.TakeRandom), which under a full pool lets a few requests wait many
// times longer than the rest: at 64 concurrent list requests on a pool of 10 the p99
// was four times the median. Waiters blocked on a channel are woken in arrival order,
// so a gate of the pool's size in front of it turns that into a queue. The reads of
// read.go pass it; GORM's statements do not, and may still wait inside the pool.
type fifoGate chan struct{}

// enter waits for a place, or until ctx ends.
func (g fifoGate) enter(ctx context.Context) error {
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// leave gives the place to the longest waiter.
func (g fifoGate) leave() { <-g }

// gateFor returns the gate of pool (nil: none, e.g. on SQLite).
func (db *DB) gateFor(pool *sql.DB) fifoGate { return db.gates[pool] }

// addGate puts a gate of size n in front of pool.
func (db *DB) addGate(pool *sql.DB, n int) {
	if db.gates == nil {
		db.gates = map[*sql.DB]fifoGate{}
	}
	db.gates[pool] = make(fifoGate, n)
}
