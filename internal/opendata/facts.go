package opendata

import (
	"context"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// facts are what the catalogue says about the data.
type facts struct {
	stamp                            coop.DataStamp
	partners, cooperations, projects collection
}

// collection is one dataset's extent: its places and the period its records cover.
type collection struct {
	places places
	period coop.DateSpan
}

// gather reads the facts: the store's aggregates (keys, who takes part, periods; a
// few queries whose answers grow with the partners, not the projects), turned into
// each dataset's places.
func gather(ctx context.Context, src coop.OpenDataService) (facts, error) {
	raw, err := src.OpenDataFacts(ctx)
	if err != nil {
		return facts{}, err
	}
	f := facts{
		partners:     collection{places: places{}},
		cooperations: collection{places: places{}, period: raw.Cooperations},
		projects:     collection{places: places{}, period: raw.Projects},
	}
	keys := make(map[string]coop.PartnerKey, len(raw.Keys))
	for _, k := range raw.Keys {
		keys[k.ID] = k
		f.partners.places.add(k)
	}
	for _, id := range raw.CooperationPartners {
		if k, ok := keys[id]; ok {
			f.cooperations.places.add(k)
		}
	}
	for _, id := range raw.ProjectPartners {
		if k, ok := keys[id]; ok {
			f.projects.places.add(k)
		}
	}
	return f, nil
}
