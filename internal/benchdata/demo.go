package benchdata

import (
	"context"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// DemoSize is the directory `ikz-verzeichnis seed --demo` loads: enough for every
// chart of the dashboard and several pages of the project list, loaded in seconds.
var DemoSize = Size{Partners: 120, Cooperations: 60, Projects: 600}

// LoadDemo marks db as demo data (store.DB.MarkDemo: an empty directory only, else
// store.ErrNotEmpty) and then fills it with an invented directory of DemoSize drawn
// from seed. The mark comes first, so a load cut off halfway is marked as well.
func LoadDemo(ctx context.Context, db *store.DB, seed uint64, progress func(kind string, n int)) error {
	if err := db.MarkDemo(ctx, seed); err != nil {
		return err
	}
	return Load(ctx, db, DemoSize, seed, progress)
}
