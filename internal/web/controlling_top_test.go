package web

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The page shows the partners with the most projects, in the order of the figures, and
// says how many it leaves to the Excel file; the download keeps every partner.
func TestDashboardTopPartners(t *testing.T) {
	var st coop.Stats
	for i := range 40 {
		st.Groups = append(st.Groups, coop.StatsGroup{Key: fmt.Sprintf("p%02d", i), Count: int64(i % 7)})
	}
	top := topGroups(st, 5)
	var keys []string
	for _, g := range top.Groups {
		keys = append(keys, g.Key)
	}
	// counts 6 at p06, p13, p20, p27, p34; then 5 at p05 …: the five with 6
	if want := []string{"p06", "p13", "p20", "p27", "p34"}; !slices.Equal(keys, want) {
		t.Errorf("top 5: %v, want %v", keys, want)
	}
	if len(st.Groups) != 40 || st.Groups[0].Key != "p00" {
		t.Errorf("topGroups changed its argument: %d groups, first %s", len(st.Groups), st.Groups[0].Key)
	}
	if all := topGroups(st, 0); len(all.Groups) != 40 {
		t.Errorf("top 0 kept %d of 40", len(all.Groups))
	}

	r := &request{lang: "de"}
	d := dashboardData{Partner: st}
	find := func(ts []table) table {
		i := slices.IndexFunc(ts, func(t table) bool { return t.Key == "money-partner" })
		if i < 0 {
			t.Fatal("no table by partner")
		}
		return ts[i]
	}
	page, download := find(r.tables(d, maxPagePartners)), find(r.tables(d, 0))
	if len(page.Rows) != maxPagePartners || len(download.Rows) != 40 {
		t.Errorf("rows: page %d, download %d; want %d, 40", len(page.Rows), len(download.Rows), maxPagePartners)
	}
	if want := fmt.Sprintf("Die %d Partner mit den meisten Vorhaben von 40; alle in der Excel-Datei.", maxPagePartners); !strings.Contains(page.Hint, want) {
		t.Errorf("page hint %q, want it to say %q", page.Hint, want)
	}
}
