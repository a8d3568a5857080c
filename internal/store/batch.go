package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// A batch is many writes as one: the bulk import applies every row of a file in one
// transaction, so that a file is written whole or not at all. Within a batch every
// write of the services runs in a savepoint of the batch's transaction (base.tx) and
// every read reads in it (base.read, base.session), so that a row sees what earlier
// rows wrote and a failed row is undone alone while the others are still checked.

type batchKey struct{}

// batchTx is the transaction of the batch ctx belongs to, or nil.
func batchTx(ctx context.Context) *gorm.DB {
	tx, _ := ctx.Value(batchKey{}).(*gorm.DB)
	return tx
}

// ErrRollback, returned by a batch's function, rolls the batch back without an
// error (a dry run).
var ErrRollback = errors.New("store: batch rolled back")

// Batch runs fn with a context whose reads and writes through the store's services
// all happen in one transaction, committed when fn returns nil and rolled back
// otherwise (Batch then returns nil for ErrRollback, fn's error else). Each write in
// it is a savepoint: a write that fails is undone alone and fn may go on. Batches
// do not nest; ctx must not be used for the store after fn returns.
func (db *DB) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	if batchTx(ctx) != nil {
		return fn(ctx)
	}
	err := db.base.tx(ctx, func(tx *gorm.DB) error {
		tx, err := sqldb.Immediate(tx) // a failed row's savepoint undoes all of it
		if err != nil {
			return err
		}
		return fn(context.WithValue(ctx, batchKey{}, tx))
	})
	if errors.Is(err, ErrRollback) {
		return nil
	}
	return err
}
