package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestRegionKeyFilters: a key prefix is a range that ends exactly where the prefix
// does (059 takes 059999999999, not 060000000000), a partner without a key is located
// by its parent's, an index serves the range on both databases, and a filtered page
// costs as many statements whatever its size.
func TestRegionKeyFilters(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		w := mustWorld(t, db)
		for _, d := range []coop.PartnerDraft{
			{Slug: "kreis", Name: "Kreis", Type: "district", AGS: "05566000", ARS: "055660000000"},
			{Slug: "kreis-it", Name: "Kreis-IT", Type: "municipal_it_provider", Parent: "kreis"},
			{Slug: "ende", Name: "Ende", Type: "municipal_enterprise", AGS: "05999999", ARS: "059999999999"},
			{Slug: "weiter", Name: "Weiter", Type: "municipal_enterprise", AGS: "06000000", ARS: "060000000000"},
			{Slug: "eigen", Name: "Eigen", Type: "department", Parent: "weiter", ARS: "059990000000"},
		} {
			if _, err := db.CreatePartner(w.ctx, d); err != nil {
				t.Fatalf("%s: %v", d.Slug, err)
			}
		}
		partners := func(f coop.PartnerFilter) string {
			t.Helper()
			res, err := db.FindPartners(w.ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range res.Items {
				out = append(out, p.Slug)
			}
			slices.Sort(out)
			return strings.Join(out, " ")
		}
		for _, tc := range []struct {
			f    coop.PartnerFilter
			want string
		}{
			{coop.PartnerFilter{ARS: []string{"059"}}, "eigen ende"},
			{coop.PartnerFilter{ARS: []string{"06"}}, "weiter"},
			{coop.PartnerFilter{ARS: []string{"05"}}, "eigen ende kreis kreis-it"},
			{coop.PartnerFilter{ARS: []string{"9"}}, ""},
			{coop.PartnerFilter{ARS: []string{"059", "06"}}, "eigen ende weiter"},
			{coop.PartnerFilter{AGS: []string{"06000000"}}, "eigen weiter"},
			{coop.PartnerFilter{AGS: []string{"05566"}, ARS: []string{"05566"}}, "kreis kreis-it"},
		} {
			if got := partners(tc.f); got != tc.want {
				t.Errorf("%+v: %q, want %q", tc.f, got, tc.want)
			}
		}

		// enough partners in every state that reading all of them costs more (municipal
		// enterprises: their invented keys are not checked against the register)
		var many []store.BulkPartner
		for i := 0; i < 300; i++ {
			st := 1 + i%16
			many = append(many, store.BulkPartner{At: time.Now(), Draft: coop.PartnerDraft{Slug: fmt.Sprintf("g%04d", i), Name: fmt.Sprintf("Betrieb %d", i),
				Type: "municipal_enterprise", AGS: fmt.Sprintf("%02d%06d", st, i), ARS: fmt.Sprintf("%02d%010d", st, i)}})
		}
		if _, err := db.NewBulkLoader().Partners(w.ctx, many); err != nil {
			t.Fatal(err)
		}
		for _, col := range []string{"ars", "ags"} {
			plan, err := db.LocatedPartnersPlan(w.ctx, col, []string{"05566", "0599"})
			if err != nil {
				t.Fatal(err)
			}
			// every branch starts from the key's ranges; the children by their parent
			if strings.Count(plan, "partners_"+col) < 4 || !strings.Contains(plan, "partners_parent") {
				t.Errorf("%s: no index serves the prefix:\n%s", col, plan)
			}
		}

		for i := 0; i < 30; i++ {
			w.mustProject(t, fmt.Sprintf("p%02d", i), func(d *coop.ProjectDraft) {
				if i%3 == 0 {
					d.Participants = append(d.Participants, coop.ParticipantDraft{Partner: "kreis-it", Role: "operator"})
				}
			})
		}
		n := storetest.Statements(db)
		count := func(f coop.ProjectFilter) (int64, int) {
			t.Helper()
			n.Reset()
			res, err := db.FindProjects(w.ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return n.N(), len(res.Items)
		}
		byPartner, _ := count(coop.ProjectFilter{Partners: []string{"kreis-it"}, Page: coop.Page{Limit: 3}})
		for _, limit := range []int{1, 3, 10} {
			got, items := count(coop.ProjectFilter{PartnerARS: []string{"05566"}, Page: coop.Page{Limit: limit}})
			if got != byPartner || items != limit {
				t.Errorf("limit %d: %d statements (by partner %d), %d items", limit, got, byPartner, items)
			}
		}
		res, err := db.FindProjects(w.ctx, coop.ProjectFilter{PartnerARS: []string{"05566"}, Roles: []string{"operator"}})
		if err != nil || res.Total != 10 {
			t.Errorf("operators in 05566: %d, %v", res.Total, err)
		}
		cs, err := db.FindCooperations(w.ctx, coop.CooperationFilter{PartnerARS: []string{"05566"}})
		if err != nil || cs.Total != 0 {
			t.Errorf("cooperations with a member in 05566: %d, %v", cs.Total, err)
		}
		// the migration goes down and up again
		if err := db.RedoMigrationsAfter(w.ctx, 22); err != nil {
			t.Fatal(err)
		}
		if got := partners(coop.PartnerFilter{ARS: []string{"059"}}); got != "eigen ende" {
			t.Errorf("after the migration's redo: %q", got)
		}
	})
}
