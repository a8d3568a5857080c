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

func changeKeys(c coop.Change) []string {
	var keys []string
	for k := range c.Changes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func lastChange(t *testing.T, db *store.DB, id string) coop.Change {
	t.Helper()
	list, err := db.FindChanges(adminCtx(), coop.ChangeFilter{ResourceID: id})
	if err != nil || len(list) == 0 {
		t.Fatalf("changes of %s: %v %v", id, list, err)
	}
	return list[len(list)-1]
}

func TestUpdates(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		p := w.mustProject(t, "upd", func(d *coop.ProjectDraft) { d.Tags = []string{"alt"} })
		d := draft("upd")
		d.Title, d.Status, d.Tags = "Neuer Titel", "operational", []string{"neu"}
		d.Participants = []coop.ParticipantDraft{{Partner: "lwl-it", Role: "lead"}, {Partner: "stadt-muenster", Role: "consumer"}}
		got, err := db.UpdateProject(w.ctx, "upd", d, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.Status != "planned" || got.Title != "Neuer Titel" || !got.UpdatedAt.After(p.UpdatedAt) ||
			!got.CreatedAt.Equal(p.CreatedAt) || len(got.Participants) != 2 || got.Participants[0].Partner.Slug != "lwl-it" ||
			got.Participants[1].Role != "consumer" {
			t.Errorf("updated %+v", got)
		}
		for tag, want := range map[string]int64{"neu": 1, "alt": 0} {
			if l, _ := db.FindProjects(w.ctx, coop.ProjectFilter{Tags: []string{tag}}); l.Total != want {
				t.Errorf("tag %s: %d projects", tag, l.Total)
			}
		}
		c := lastChange(t, db, p.ID)
		if c.Action != coop.ActionUpdate || c.Version != 2 || !slices.Equal(changeKeys(c), []string{"participants", "tags", "title"}) ||
			c.Changes["title"].Old != "Vorhaben upd" || c.Changes["title"].New != "Neuer Titel" {
			t.Errorf("update change %+v", c)
		}

		cd := coop.CooperationDraft{Slug: "it-kooperation", Title: w.coop.Title, LegalForm: "public_law_agreement", StartedOn: "2016-11",
			Members: []coop.MemberDraft{{Partner: "lwl", Role: "party"}, {Partner: "citeq", Role: "party"}}, LegalBasis: []string{"GkG NRW"}}
		gc, err := db.UpdateCooperation(w.ctx, w.coop.ID, cd, 1)
		if err != nil || gc.Version != 2 || gc.Status != "active" || len(gc.Members) != 2 || gc.Members[1].Partner.Slug != "citeq" {
			t.Fatalf("cooperation update %+v %v", gc, err)
		}
		if c := lastChange(t, db, gc.ID); !slices.Equal(changeKeys(c), []string{"legal_basis", "legal_form", "members"}) {
			t.Errorf("cooperation change %+v", c)
		}
		s, err := db.CreateSolution(w.ctx, coop.SolutionDraft{Slug: "s", Name: "S", Developers: []string{"lwl"}})
		if err != nil {
			t.Fatal(err)
		}
		gs, err := db.UpdateSolution(w.ctx, "s", coop.SolutionDraft{Slug: "s2", Name: "S", Developers: []string{"citeq", "lwl"}}, 1)
		if err != nil || gs.Version != 2 || gs.Slug != "s2" || len(gs.Developers) != 2 || gs.Developers[0].Slug != "citeq" {
			t.Fatalf("solution update %+v %v", gs, err)
		}
		if c := lastChange(t, db, s.ID); !slices.Equal(changeKeys(c), []string{"developers", "slug"}) {
			t.Errorf("solution change %+v", c)
		}
	})
}

func TestStaleVersion(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		p := w.mustProject(t, "p", nil)
		d := draft("p")
		d.Title = "zwei"
		if _, err := db.UpdateProject(w.ctx, "p", d, 1); err != nil {
			t.Fatal(err)
		}
		changes, _ := db.FindChanges(w.ctx, coop.ChangeFilter{})
		d.Title = "drei"
		_, err := db.UpdateProject(w.ctx, "p", d, 1)
		mustCode(t, err, coop.EPrecondition)
		mustCode(t, db.DeleteProject(w.ctx, "p", 1), coop.EPrecondition)
		_, err = db.TransitionProject(w.ctx, "p", coop.Transition{To: "in_progress"}, 1)
		mustCode(t, err, coop.EPrecondition)
		_, err = db.UpdateCooperation(w.ctx, w.coop.ID, coop.CooperationDraft{Slug: "x", Title: "X", LegalForm: "other",
			Members: []coop.MemberDraft{{Partner: "lwl", Role: "party"}, {Partner: "citeq", Role: "party"}}}, 7)
		mustCode(t, err, coop.EPrecondition)
		_, err = db.TransitionCooperation(w.ctx, w.coop.ID, coop.Transition{To: "ended"}, 7)
		mustCode(t, err, coop.EPrecondition)

		got, err := db.FindProject(w.ctx, p.ID)
		if err != nil || got.Version != 2 || got.Title != "zwei" || got.Status != "planned" {
			t.Errorf("after refused writes: %+v %v", got, err)
		}
		h, _ := db.ProjectHistory(w.ctx, "p")
		after, _ := db.FindChanges(w.ctx, coop.ChangeFilter{})
		if len(h) != 1 || len(after) != len(changes) {
			t.Errorf("refused writes left traces: history %d, changes %d → %d", len(h), len(changes), len(after))
		}
	})
}

func TestTransitions(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		w.mustProject(t, "p", func(d *coop.ProjectDraft) { d.StartedOn = "2017-01" })
		move := func(to, on, reason string) (coop.Project, error) {
			return db.TransitionProject(w.ctx, "p", coop.Transition{To: to, EffectiveOn: on, Reason: reason}, 0)
		}
		got, err := db.TransitionProject(w.ctx, "p", coop.Transition{To: "in_progress", EffectiveOn: "2017-06", Reason: "Start"}, 1)
		if err != nil || got.Status != "in_progress" || got.Version != 2 {
			t.Fatalf("allowed: %+v %v", got.Meta, err)
		}
		c := lastChange(t, db, got.ID)
		if c.Action != coop.ActionTransition || c.Version != 2 || c.Changes["status"] != (coop.FieldChange{Old: "planned", New: "in_progress"}) ||
			c.Changes["effective_on"].New != "2017-06" || c.Changes["reason"].New != "Start" {
			t.Errorf("transition change %+v", c)
		}
		_, err = move("planned", "", "")
		ce := mustCode(t, err, coop.EConflict)
		if !slices.Equal(ce.Allowed, []string{"operational", "completed", "suspended", "cancelled"}) {
			t.Errorf("refused: allowed %v", ce.Allowed)
		}
		for _, c := range []struct{ to, on, reason, want string }{
			{"flying", "", "", "to:enum"},
			{"", "", "", "to:required"},
			{"operational", "2017-05", "", "effective_on:before_previous"},
			{"operational", "2017", "", "effective_on:before_previous"},
			{"operational", "2017-13", "", "effective_on:date"},
			{"operational", "2999-01", "", "effective_on:future"},
			{"operational", "", strings.Repeat("x", 2001), "reason:max_length"},
		} {
			_, err := move(c.to, c.on, c.reason)
			if got := fieldCodes(t, err); !slices.Equal(got, []string{c.want}) {
				t.Errorf("%+v: %v", c, got)
			}
		}
		if _, err := move("operational", "2017-06", ""); err != nil {
			t.Fatalf("same date as the previous entry: %v", err)
		}
		if _, err := move("suspended", "", ""); err != nil {
			t.Fatalf("undated (today): %v", err)
		}
		if got, err := move("terminated", "", "Vertrag beendet"); err != nil || got.Version != 5 {
			t.Fatalf("final: %+v %v", got.Meta, err)
		}
		_, err = move("operational", "", "")
		if ce := mustCode(t, err, coop.EConflict); ce.Allowed == nil || len(ce.Allowed) != 0 {
			t.Errorf("from a final status: %+v", ce.Allowed)
		}

		h, err := db.ProjectHistory(w.ctx, "p")
		if err != nil {
			t.Fatal(err)
		}
		today := coop.DateFromTime(time.Now()).String()
		want := [][3]string{{"", "planned", "2017-01"}, {"planned", "in_progress", "2017-06"}, {"in_progress", "operational", "2017-06"},
			{"operational", "suspended", today}, {"suspended", "terminated", today}}
		if len(h) != len(want) {
			t.Fatalf("history %+v", h)
		}
		for i, e := range h {
			if [3]string{e.From, e.To, e.EffectiveOn.String()} != want[i] || e.Actor.Name != "Pflege-Token" || e.RecordedAt.IsZero() ||
				(i > 0 && e.RecordedAt.Before(h[i-1].RecordedAt)) {
				t.Errorf("history[%d] = %+v, want %v", i, e, want[i])
			}
		}
		if h[1].Reason != "Start" || h[4].Reason != "Vertrag beendet" || h[0].Reason != "" {
			t.Errorf("reasons %q %q %q", h[0].Reason, h[1].Reason, h[4].Reason)
		}

		// An undated entry does not constrain later dates.
		w.mustProject(t, "undated", nil)
		if _, err := db.TransitionProject(w.ctx, "undated", coop.Transition{To: "in_progress", EffectiveOn: "1999"}, 0); err != nil {
			t.Errorf("after an undated entry: %v", err)
		}
		if _, err := db.ProjectHistory(w.ctx, "nothing"); coop.ErrorCode(err) != coop.ENotFound {
			t.Errorf("history of nothing: %v", err)
		}

		gc, err := db.TransitionCooperation(w.ctx, "it-kooperation", coop.Transition{To: "suspended", EffectiveOn: "2020"}, 1)
		if err != nil || gc.Status != "suspended" || gc.Version != 2 {
			t.Fatalf("cooperation transition %+v %v", gc.Meta, err)
		}
		_, err = db.TransitionCooperation(w.ctx, "it-kooperation", coop.Transition{To: "planned"}, 0)
		mustCode(t, err, coop.EConflict)
		_, err = db.TransitionCooperation(w.ctx, "it-kooperation", coop.Transition{To: "active", EffectiveOn: "2016-12"}, 0)
		if got := fieldCodes(t, err); !slices.Equal(got, []string{"effective_on:before_previous"}) {
			t.Errorf("cooperation before_previous: %v", got)
		}
		ch, err := db.CooperationHistory(w.ctx, w.coop.ID)
		if err != nil || len(ch) != 2 || ch[0].To != "active" || ch[0].EffectiveOn.String() != "2016-11" || ch[1].To != "suspended" {
			t.Errorf("cooperation history %+v %v", ch, err)
		}
	})
}

func TestAsOf(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		w.mustProject(t, "p1", func(d *coop.ProjectDraft) { d.StartedOn = "2017-01" })
		for _, tr := range []coop.Transition{{To: "in_progress", EffectiveOn: "2017-06"}, {To: "operational", EffectiveOn: "2018-02"}} {
			if _, err := db.TransitionProject(w.ctx, "p1", tr, 0); err != nil {
				t.Fatal(err)
			}
		}
		w.mustProject(t, "p2", nil)
		w.mustProject(t, "p3", func(d *coop.ProjectDraft) { d.Status, d.StatusEffectiveOn = "in_progress", "2019-03" })
		statuses := func(l coop.ListResult[coop.Project]) string {
			var out []string
			for _, p := range l.Items {
				out = append(out, p.Slug+"="+p.Status)
			}
			return strings.Join(out, " ")
		}
		for _, c := range []struct {
			asOf     string
			statuses []string
			want     string
		}{
			{"2016", nil, "p2=planned"},
			{"2017-03", nil, "p1=planned p2=planned"},
			{"2017-06", nil, "p1=in_progress p2=planned"},
			{"2017-06-01", nil, "p1=in_progress p2=planned"},
			{"2017-05-31", nil, "p1=planned p2=planned"},
			{"2018", nil, "p1=operational p2=planned"},
			{"2019-03", nil, "p1=operational p2=planned p3=in_progress"},
			{"2017-12", []string{"in_progress"}, "p1=in_progress"},
			{"2019", []string{"in_progress"}, "p3=in_progress"},
		} {
			l, err := db.FindProjects(w.ctx, coop.ProjectFilter{AsOf: coop.MustPartialDate(c.asOf), Statuses: c.statuses,
				Page: coop.Page{Sort: []coop.SortKey{{Field: "slug"}}}})
			if err != nil || statuses(l) != c.want || l.Total != int64(len(l.Items)) {
				t.Errorf("as of %s %v: %q (total %d) %v, want %q", c.asOf, c.statuses, statuses(l), l.Total, err, c.want)
			}
		}
		// Sorting by status sorts by the historic one.
		l, err := db.FindProjects(w.ctx, coop.ProjectFilter{AsOf: coop.MustPartialDate("2017-06"),
			Page: coop.Page{Limit: 1, Sort: []coop.SortKey{{Field: "status"}}}})
		if err != nil || statuses(l) != "p1=in_progress" || l.NextCursor == "" {
			t.Fatalf("as-of sort: %q %v", statuses(l), err)
		}
		l, err = db.FindProjects(w.ctx, coop.ProjectFilter{AsOf: coop.MustPartialDate("2017-06"),
			Page: coop.Page{Limit: 1, Sort: []coop.SortKey{{Field: "status"}}, Cursor: l.NextCursor}})
		if err != nil || statuses(l) != "p2=planned" || l.NextCursor != "" {
			t.Errorf("as-of sort, page 2: %q %v", statuses(l), err)
		}
	})
}
