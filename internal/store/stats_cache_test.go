package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// Statistics are computed once per data version: the same statistics again read
// nothing but the version, and the next write (a project with a new participant) shows
// in the very next answer, its population served and in the timeline.
func TestStatsPerDataVersion(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustStatsWorld(t, db)
		reg, err := db.Register(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		hannover, ok := reg.ResolveAGS("03241001", "municipality")
		if !ok || hannover.Population < 500_000 {
			t.Fatalf("Hannover in the register: %+v, %v", hannover, ok)
		}
		if _, err := db.CreatePartner(w.ctx, coop.PartnerDraft{Slug: "lhh", Name: "Landeshauptstadt Hannover (Verwaltung)",
			Type: "municipality", AGS: "03241001", State: "DE-NI"}); err != nil {
			t.Fatal(err)
		}
		q := coop.StatsQuery{GroupBy: "partner", Filter: coop.ProjectFilter{Categories: []string{"network"}}}
		stats := func() coop.Stats {
			t.Helper()
			st, err := db.ProjectStats(w.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		planned := func() int64 {
			t.Helper()
			tl, err := db.Timeline(w.ctx, coop.TimelineQuery{Interval: "year"})
			if err != nil || len(tl.Periods) == 0 {
				t.Fatalf("timeline: %+v, %v", tl, err)
			}
			return tl.Periods[len(tl.Periods)-1].Counts["planned"]
		}
		plannedBefore := planned()
		before := stats().Total.PopulationServed
		count := storetest.Statements(db)
		if again := stats().Total.PopulationServed; again != before {
			t.Errorf("the same statistics again: %d, first %d", again, before)
		}
		cached := count.N()

		w.mustProject(t, "lhh-netz", func(d *coop.ProjectDraft) {
			d.Category = "network"
			d.Participants = []coop.ParticipantDraft{{Partner: "lhh", Role: "consumer"}}
		})
		count.Reset()
		st := stats()
		computed := count.N()
		if st.Total.PopulationServed != before+hannover.Population {
			t.Errorf("after the write: %d, want %d + %d", st.Total.PopulationServed, before, hannover.Population)
		}
		var lhh int64 = -1
		for _, g := range st.Groups {
			if g.Key == "lhh" {
				lhh = g.PopulationServed
			}
		}
		if lhh != hannover.Population {
			t.Errorf("group lhh: %d, want %d", lhh, hannover.Population)
		}
		if n := planned(); n != plannedBefore+1 {
			t.Errorf("planned projects in the timeline after the write: %d, before %d", n, plannedBefore)
		}
		// From the cache: the version alone.
		if cached != 1 || computed < 3 {
			t.Errorf("statistics from the cache sent %d statements, computed %d", cached, computed)
		}
	})
}

// Statistics with a text filter, many at once: each holds a connection while it
// computes (its version is read on it), and the text filter's spelling correction
// must read on that same connection. Were it to take a second one from the pool, as
// many concurrent statistics as the pool has connections would each wait for a
// connection the others hold, until their requests time out (seen in CI as a 503
// after 15 s on /stats/timeline?q=...).
func TestStatsWithTextFilterDoNotExhaustThePool(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustStatsWorld(t, db)
		const callers = 32 // four times the tests' pool
		// A deadlock would wait forever: end it as a request's deadline would.
		ctx, cancel := context.WithTimeout(w.ctx, time.Minute)
		defer cancel()
		errs := make(chan error, 2*callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Add(2)
			q := coop.ProjectFilter{Q: fmt.Sprintf("netz%d", i)}
			go func() {
				defer wg.Done()
				_, err := db.Timeline(ctx, coop.TimelineQuery{Interval: "year", Filter: q})
				errs <- err
			}()
			go func() {
				defer wg.Done()
				_, err := db.ProjectStats(ctx, coop.StatsQuery{GroupBy: "status", Filter: q})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("statistics with a text filter, %d at once: %v", 2*callers, err)
			}
		}
	})
}
