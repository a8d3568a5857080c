package store

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// exportBatch is how many rows an export reads at a time: memory holds one batch (and
// its participants), whatever the size of the result.
const exportBatch = 500

// EachProject calls fn for every live project f selects, in f's sort order (default
// title, then id), with its brief refs and participants. It walks the result in keyset
// batches of exportBatch rows, each read with one query plus one for the batch's
// participants, so memory stays flat as rows grow; there is no count and no offset.
// f's Limit and Cursor are ignored. An error of fn ends the walk and is returned.
// Each project comes with its population served (the territories of the partners
// involved are read once per walk, one query per 500 partners new to it).
func (s *ProjectService) EachProject(ctx context.Context, f coop.ProjectFilter, fn func(coop.Project) error) error {
	reg, err := s.register(ctx)
	if err != nil {
		return err
	}
	terr := newTerritories(reg)
	page := coop.Page{Limit: exportBatch, Sort: f.Sort}
	for {
		q, err := s.projectQuery(ctx, f, projectReadCols)
		if err != nil {
			return err
		}
		keys, limit, err := projectList.page(q, page)
		if err != nil {
			return err
		}
		var batch projectPage
		err = s.read(ctx, func(x sqldb.Executor) (err error) {
			batch, err = readProjectPage(ctx, x, q, limit, false, false)
			return err
		})
		if err != nil {
			return err
		}
		projects := withParticipants(batch.views, batch.parts)
		if err := s.fillPopulationServed(ctx, terr, projects, f.Roles); err != nil {
			return err
		}
		for _, p := range projects {
			if err := fn(p); err != nil {
				return err
			}
		}
		if !batch.more {
			return nil
		}
		last := batch.views[limit-1].Row
		page.Cursor = nextCursor(keys, projectSortValues(last, keys), last.ID)
	}
}

// fillPopulationServed sets the population served of projects, through terr (which
// keeps the partners read for earlier batches).
func (s *ProjectService) fillPopulationServed(ctx context.Context, terr *territories, projects []coop.Project, roles []string) error {
	ids := map[string][]string{}
	var all []string
	for _, p := range projects {
		for _, pp := range p.Participants {
			if len(roles) > 0 && !slices.Contains(roles, pp.Role) {
				continue
			}
			ids[p.ID] = append(ids[p.ID], pp.Partner.ID)
			all = append(all, pp.Partner.ID)
		}
	}
	err := s.session(ctx, func(q *gorm.DB) error { return terr.load(q, all) })
	if err != nil {
		return err
	}
	for i := range projects {
		n := terr.population(ids[projects[i].ID])
		projects[i].PopulationServed = &n
	}
	return nil
}

// EachPartner calls fn for every live partner f selects, in f's sort order, reading
// pages of exportBatch through FindPartners (a directory has few partners; each page
// also counts them).
func (s *PartnerService) EachPartner(ctx context.Context, f coop.PartnerFilter, fn func(coop.Partner) error) error {
	f.Page = coop.Page{Limit: exportBatch, Sort: f.Sort}
	for {
		res, err := s.FindPartners(ctx, f)
		if err != nil {
			return err
		}
		for _, p := range res.Items {
			if err := fn(p); err != nil {
				return err
			}
		}
		if res.NextCursor == "" {
			return nil
		}
		f.Cursor = res.NextCursor
	}
}

// EachCooperation calls fn for every live cooperation f selects, with its members, in
// f's sort order, reading pages of exportBatch through FindCooperations.
func (s *CooperationService) EachCooperation(ctx context.Context, f coop.CooperationFilter, fn func(coop.Cooperation) error) error {
	f.Page = coop.Page{Limit: exportBatch, Sort: f.Sort}
	for {
		res, err := s.FindCooperations(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range res.Items {
			if err := fn(c); err != nil {
				return err
			}
		}
		if res.NextCursor == "" {
			return nil
		}
		f.Cursor = res.NextCursor
	}
}

// DB serves the controlling figures and exports too.
var _ coop.StatsService = (*DB)(nil)
