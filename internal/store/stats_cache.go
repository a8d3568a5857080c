package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/versioncache"
)

// The statistics (ProjectStats, LeadTimes, Timeline) read every selected project, and
// the population served every distinct (group, partner) pair of them: at 20,000
// projects a dashboard of six such calls is some hundred milliseconds of database
// work. Controllers open dashboards far more often than anyone writes, so each answer
// is kept per data version (package versioncache: the search result cache's
// mechanism): until the next commit anywhere, a regions import included, the same
// question costs one read of the version.
//
// The version is read on the connection that then computes the answer, and every read
// of the computation goes through that connection (it is put into the context the way
// a batch's transaction is), so that an answer read on a lagging replica is kept under
// that replica's version, never under a newer one. The key holds the kind of
// statistics, the query, the register in force (its digest: an answer computed with a
// register just replaced, within registerCheck of a regions import, is never taken for
// the new one's) and today's date (timelines end today when asked without an end).

// statsCacheEntries is how many answers of each kind of statistics a process keeps.
const statsCacheEntries = 256

// statsCaches are the caches of the statistics, one per kind of answer.
type statsCaches struct {
	projects  *versioncache.Cache[coop.Stats]
	leadTimes *versioncache.Cache[coop.LeadTimes]
	timelines *versioncache.Cache[coop.Timeline]
}

func newStatsCaches() statsCaches {
	return statsCaches{
		projects: versioncache.New(statsCacheEntries, func(s coop.Stats) coop.Stats {
			s.Groups = slices.Clone(s.Groups)
			return s
		}),
		leadTimes: versioncache.New(statsCacheEntries, func(l coop.LeadTimes) coop.LeadTimes {
			l.Groups = slices.Clone(l.Groups)
			return l
		}),
		timelines: versioncache.New(statsCacheEntries, func(t coop.Timeline) coop.Timeline {
			t.Periods = slices.Clone(t.Periods)
			for i := range t.Periods {
				t.Periods[i].Counts = maps.Clone(t.Periods[i].Counts)
				t.Periods[i].Sums = maps.Clone(t.Periods[i].Sums)
			}
			return t
		}),
	}
}

// cached answers a statistics query q of kind from c, or computes it with compute at
// the data version read on the connection compute reads through. Within a batch (its
// own transaction, uncommitted writes included) nothing is cached.
func cached[V any](ctx context.Context, b *base, c *versioncache.Cache[V], kind string, q any,
	compute func(ctx context.Context) (V, error)) (V, error) {
	var out V
	if batchTx(ctx) != nil {
		return compute(ctx)
	}
	reg, err := b.register(ctx)
	if err != nil {
		return out, err
	}
	query, err := json.Marshal(q)
	if err != nil {
		return out, err
	}
	key := versioncache.Key(sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%s", kind, query, reg.Digest,
		b.now().Format("2006-01-02"))))
	err = b.core.Session(ctx, func(conn *gorm.DB) error {
		var version int64
		if err := conn.Raw(dataVersionSQL).Row().Scan(&version); err != nil {
			return translate(err)
		}
		pinned := context.WithValue(ctx, batchKey{}, conn)
		var err error
		out, err = c.Do(ctx, key, version, func() (V, int64, error) {
			v, err := compute(pinned)
			return v, version, err
		})
		return err
	})
	return out, err
}
