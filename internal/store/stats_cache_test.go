package store_test

import (
	"testing"

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
