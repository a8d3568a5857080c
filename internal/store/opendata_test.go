package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// The data stamp moves with every write, to the time of the write, never back: not
// with a bulk import dated in the past, not when the change log is pruned.
func TestDataStamp(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		first, err := db.DataStamp(w.ctx)
		if err != nil || first.Version == 0 || first.At.IsZero() {
			t.Fatalf("after the world's writes: %+v, %v", first, err)
		}
		before := time.Now().Add(-time.Second)
		w.mustProject(t, "stempel", nil)
		second, err := db.DataStamp(w.ctx)
		if err != nil || second.Version <= first.Version || second.At.Before(before) || second.At.After(time.Now().Add(time.Second)) {
			t.Fatalf("after a write: %+v (before %+v), %v", second, first, err)
		}

		d := draft("altbestand")
		past := time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)
		if _, err := db.NewBulkLoader().Projects(w.ctx, []store.BulkProject{{Draft: d, At: past}}); err != nil {
			t.Fatal(err)
		}
		third, err := db.DataStamp(w.ctx)
		if err != nil || third.Version <= second.Version || third.At.Before(second.At) {
			t.Errorf("after an import dated %s: %+v (before %+v), %v", past.Format(time.DateOnly), third, second, err)
		}
		if _, err := db.PruneChanges(w.ctx, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, err := db.DataStamp(w.ctx); err != nil || got != third {
			t.Errorf("after pruning every change: %+v, want %+v (%v)", got, third, err)
		}
	})
}

// The catalogue's facts: keys of live partners, who takes part in live cooperations and
// projects, and the periods, on both databases alike.
func TestOpenDataFacts(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		koeln, err := db.CreatePartner(w.ctx, coop.PartnerDraft{Slug: "stadt-koeln", Name: "Stadt Köln", Type: "municipality", State: "DE-NW", AGS: "05315000"})
		if err != nil {
			t.Fatal(err)
		}
		ms, err := db.UpdatePartner(w.ctx, "stadt-muenster", coop.PartnerDraft{Slug: "stadt-muenster", Name: "Stadt Münster",
			Type: "municipality", State: "DE-NW", AGS: "05515000", ARS: "055150000000"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		f, err := db.OpenDataFacts(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantKeys := []coop.PartnerKey{{ID: koeln.ID, Type: "municipality", AGS: "05315000"},
			{ID: ms.ID, Type: "municipality", ARS: "055150000000", AGS: "05515000"}}
		slices.SortFunc(wantKeys, func(a, b coop.PartnerKey) int { return strings.Compare(a.ID, b.ID) })
		if !slices.Equal(f.Keys, wantKeys) || len(f.ProjectPartners) != 0 || f.Projects != (coop.DateSpan{}) {
			t.Errorf("before any project: %+v", f)
		}
		// of the partners with a key, Münster is a member, Köln is not
		if got := f.CooperationPartners; !slices.Equal(got, []string{ms.ID}) {
			t.Errorf("cooperation partners %v", got)
		}
		if f.Cooperations != (coop.DateSpan{From: coop.MustPartialDate("2016-11")}) {
			t.Errorf("cooperations' span %+v", f.Cooperations)
		}

		w.mustProject(t, "a", func(d *coop.ProjectDraft) {
			d.StartedOn, d.PlannedEndOn = "2015-03", "2017"
			d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: "stadt-muenster", Role: "consumer"})
		})
		w.mustProject(t, "b", func(d *coop.ProjectDraft) { d.StartedOn, d.EndedOn, d.PlannedEndOn = "2016", "2017-05", "2030" })
		gone := w.mustProject(t, "c", func(d *coop.ProjectDraft) {
			d.StartedOn = "2001"
			d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: "stadt-koeln", Role: "consumer"})
		})
		if err := db.DeleteProject(w.ctx, gone.ID, 0); err != nil {
			t.Fatal(err)
		}
		if f, err = db.OpenDataFacts(w.ctx); err != nil {
			t.Fatal(err)
		}
		if got := f.ProjectPartners; !slices.Equal(got, []string{ms.ID}) {
			t.Errorf("project partners %v, want Münster's (Köln's project is deleted)", got)
		}
		// "2017" (planned) ends after "2017-05" (ended; its planned end 2030 no longer counts)
		if want := (coop.DateSpan{From: coop.MustPartialDate("2015-03"), To: coop.MustPartialDate("2017")}); f.Projects != want {
			t.Errorf("projects' span %+v, want %+v", f.Projects, want)
		}
	})
}

var _ coop.OpenDataService = (*store.DB)(nil)
