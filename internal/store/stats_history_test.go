package store_test

import (
	"fmt"
	"maps"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// step is one status change of a hand-built history: the initial status first.
type step struct{ to, on string }

// mustHistoryWorld builds five projects with known histories (see the comments) for
// as_of, timeline and lead-time tests.
func mustHistoryWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := mustWorld(t, db)
	for _, p := range []struct {
		slug, category string
		partners       []string
		steps          []step
	}{
		// lead time 2016-05-10 → 2016-08-01: 83 days
		{"h1", "archiving", []string{"citeq", "lwl-it"}, []step{{"planned", "2016-03"}, {"in_progress", "2016-05-10"}, {"operational", "2016-08"}}},
		// first in_progress 2016-02-01 → operational 2017-02-01: 366 days
		{"h2", "archiving", []string{"citeq"}, []step{{"planned", "2016-01-15"}, {"in_progress", "2016-02"},
			{"suspended", "2016-03"}, {"in_progress", "2016-04"}, {"operational", "2017-02"}}},
		// 30 days
		{"h3", "archiving", []string{"lwl"}, []step{{"in_progress", "2017-01-01"}, {"operational", "2017-01-31"}}},
		// undated start, never operational
		{"h4", "network", []string{"lwl-it", "citeq"}, []step{{"planned", ""}, {"in_progress", "2017-03"}}},
		// 10 days
		{"h5", "network", []string{"lwl-it"}, []step{{"idea", "2015"}, {"planned", "2015-06"}, {"in_progress", "2016-01-01"},
			{"operational", "2016-01-11"}, {"terminated", "2018-01"}}},
	} {
		w.mustProject(t, p.slug, func(d *coop.ProjectDraft) {
			d.Category, d.Status, d.StatusEffectiveOn = p.category, p.steps[0].to, p.steps[0].on
			d.Participants = nil
			for _, slug := range p.partners {
				d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: slug, Role: "partner"})
			}
		})
		for _, s := range p.steps[1:] {
			if _, err := db.TransitionProject(w.ctx, p.slug, coop.Transition{To: s.to, EffectiveOn: s.on}, 0); err != nil {
				t.Fatalf("%s → %s: %v", p.slug, s.to, err)
			}
		}
	}
	return w
}

func TestStatsAsOf(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustHistoryWorld(t, db)
		for _, tc := range []struct {
			asOf string
			f    coop.ProjectFilter
			want map[string]int64
		}{
			// h1 enters in_progress on 2016-05-10: before and after
			{"2016-05-09", coop.ProjectFilter{}, map[string]int64{"planned": 2, "in_progress": 1, "operational": 1}},
			{"2016-05-10", coop.ProjectFilter{}, map[string]int64{"planned": 1, "in_progress": 2, "operational": 1}},
			{"2016-04", coop.ProjectFilter{}, map[string]int64{"planned": 2, "in_progress": 1, "operational": 1}},
			{"2016-05", coop.ProjectFilter{}, map[string]int64{"planned": 1, "in_progress": 2, "operational": 1}},
			// h4 counts from the beginning (undated); h5 had not started in 2014
			{"2014", coop.ProjectFilter{}, map[string]int64{"planned": 1}},
			{"2018", coop.ProjectFilter{}, map[string]int64{"operational": 3, "in_progress": 1, "terminated": 1}},
			{"2016-05", coop.ProjectFilter{Statuses: []string{"in_progress"}}, map[string]int64{"in_progress": 2}},
		} {
			tc.f.AsOf = coop.MustPartialDate(tc.asOf)
			st, err := db.ProjectStats(w.ctx, coop.StatsQuery{Filter: tc.f, GroupBy: "status"})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			var total int64
			for _, g := range st.Groups {
				got[g.Key] = g.Count
				total += g.Count
			}
			if !maps.Equal(got, tc.want) || st.Total.Count != total {
				t.Errorf("as of %s (%v): %v (total %d), want %v", tc.asOf, tc.f.Statuses, got, st.Total.Count, tc.want)
			}
		}
	})
}

func TestTimeline(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustHistoryWorld(t, db)
		tl, err := db.Timeline(w.ctx, coop.TimelineQuery{From: coop.MustPartialDate("2016-02"), To: coop.MustPartialDate("2017-03-31"), Interval: "quarter"})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			name, start, end string
			counts           map[string]int64
		}{
			{"2016-Q1", "2016-01-01", "2016-03-31", map[string]int64{"planned": 2, "suspended": 1, "operational": 1}},
			{"2016-Q2", "2016-04-01", "2016-06-30", map[string]int64{"in_progress": 2, "planned": 1, "operational": 1}},
			{"2016-Q3", "2016-07-01", "2016-09-30", map[string]int64{"operational": 2, "in_progress": 1, "planned": 1}},
			{"2016-Q4", "2016-10-01", "2016-12-31", map[string]int64{"operational": 2, "in_progress": 1, "planned": 1}},
			{"2017-Q1", "2017-01-01", "2017-03-31", map[string]int64{"operational": 4, "in_progress": 1}},
		}
		if len(tl.Periods) != len(want) {
			t.Fatalf("%d periods, want %d", len(tl.Periods), len(want))
		}
		for i, p := range tl.Periods {
			w := want[i]
			nonZero := maps.Clone(p.Counts)
			maps.DeleteFunc(nonZero, func(_ string, n int64) bool { return n == 0 })
			if p.Name != w.name || p.Start.Format("2006-01-02") != w.start || p.End.Format("2006-01-02") != w.end ||
				!maps.Equal(nonZero, w.counts) || len(p.Counts) != len(coop.ProjectStatuses) {
				t.Errorf("period %d = %s %s..%s %v, want %+v", i, p.Name, p.Start, p.End, p.Counts, w)
			}
		}
		// months and years; a filter applies
		tl, err = db.Timeline(w.ctx, coop.TimelineQuery{Filter: coop.ProjectFilter{Categories: []string{"network"}},
			From: coop.MustPartialDate("2015"), To: coop.MustPartialDate("2018"), Interval: "year"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range tl.Periods {
			got = append(got, fmt.Sprintf("%s:%d/%d/%d/%d", p.Name, p.Counts["planned"], p.Counts["in_progress"], p.Counts["operational"], p.Counts["terminated"]))
		}
		if fmt.Sprint(got) != "[2015:2/0/0/0 2016:1/0/1/0 2017:0/1/1/0 2018:0/1/0/1]" {
			t.Errorf("network by year (planned/in_progress/operational/terminated) = %v", got)
		}
		tl, err = db.Timeline(w.ctx, coop.TimelineQuery{From: coop.MustPartialDate("2016-04"), To: coop.MustPartialDate("2016-05"), Interval: "month"})
		if err != nil || len(tl.Periods) != 2 || tl.Periods[0].Name != "2016-04" || tl.Periods[1].Counts["in_progress"] != 2 {
			t.Errorf("months = %+v, %v", tl.Periods, err)
		}
		for _, bad := range []coop.TimelineQuery{
			{From: coop.MustPartialDate("2018"), To: coop.MustPartialDate("2017"), Interval: "year"},
			{From: coop.MustPartialDate("1900-01"), To: coop.MustPartialDate("2000-01"), Interval: "month"},
			{From: coop.MustPartialDate("2016"), To: coop.MustPartialDate("2017"), Interval: "week"},
		} {
			_, err := db.Timeline(w.ctx, bad)
			mustCode(t, err, coop.EInvalid)
		}
	})
}

func TestLeadTimes(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustHistoryWorld(t, db)
		for _, tc := range []struct {
			by   string
			f    coop.ProjectFilter
			want string
		}{
			// archiving [30 83 366]: median rank 2, p90 rank 3; network [10]
			{"category", coop.ProjectFilter{}, "[archiving Archivierung 3 83 366] [network Netze 1 10 10]"},
			// by name: citeq [83 366], Landschaftsverband (lwl) [30], LWL.IT (lwl-it) [10 83]
			{"partner", coop.ProjectFilter{}, "[citeq citeq 2 83 366] [lwl Landschaftsverband Westfalen-Lippe 1 30 30] [lwl-it LWL.IT Service Abteilung 2 10 83]"},
			{"partner", coop.ProjectFilter{Categories: []string{"network"}}, "[lwl-it LWL.IT Service Abteilung 1 10 10]"},
		} {
			lt, err := db.LeadTimes(w.ctx, coop.LeadTimeQuery{Filter: tc.f, GroupBy: tc.by})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for i, g := range lt.Groups {
				if i > 0 {
					got += " "
				}
				got += fmt.Sprintf("[%s %s %d %d %d]", g.Key, g.Label, g.Count, g.MedianDays, g.P90Days)
			}
			if got != tc.want {
				t.Errorf("by %s: %s\nwant %s", tc.by, got, tc.want)
			}
		}
		_, err := db.LeadTimes(w.ctx, coop.LeadTimeQuery{GroupBy: "status"})
		mustCode(t, err, coop.EInvalid)
	})
}
