package store

import (
	"maps"
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// TestSortFields: the sort fields the HTTP layer accepts (coop) are the ones each
// list maps to a column, and its default sort is one of them.
func TestSortFields(t *testing.T) {
	for name, c := range map[string]struct {
		spec listSpec
		want []string
	}{
		"partners":     {partnerList, coop.PartnerSortFields},
		"cooperations": {cooperationList, coop.CooperationSortFields},
		"projects":     {projectList, coop.ProjectSortFields},
		"solutions":    {solutionList, coop.SolutionSortFields},
	} {
		if got := slices.Sorted(maps.Keys(c.spec.sorts)); !slices.Equal(got, c.want) {
			t.Errorf("%s: the store sorts by %v, coop names %v", name, got, c.want)
		}
		if !slices.Contains(c.want, c.spec.defaultSort) {
			t.Errorf("%s: default sort %q is not a sort field", name, c.spec.defaultSort)
		}
	}
}
