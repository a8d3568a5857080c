package store

import (
	"context"

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
func (s *ProjectService) EachProject(ctx context.Context, f coop.ProjectFilter, fn func(coop.Project) error) error {
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
		for _, p := range withParticipants(batch.views, batch.parts) {
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
