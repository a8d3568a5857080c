package web

import (
	"context"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/versioncache"
)

// partnerChoices keeps the partners the filter forms offer, for the data version they
// were read at (package versioncache): a page asks the store only for the version (one
// small statement), and reads the partners again after any write. Its one answer is
// nil when there are more than maxPartnerOptions; callers only read it.
type partnerChoices = versioncache.Cache[[]coop.Partner]

func newPartnerChoices() *partnerChoices { return versioncache.New[[]coop.Partner](1, nil) }

// filterPartners returns the partners of the filter forms, or nil when there are more
// than maxPartnerOptions (the form then takes slugs typed in).
func (s *Site) filterPartners(ctx context.Context) ([]coop.Partner, error) {
	version, err := s.svc.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	return s.choices.Do(ctx, versioncache.Key{}, version, func() ([]coop.Partner, int64, error) {
		res, err := s.svc.FindPartners(ctx, coop.PartnerFilter{Page: coop.Page{Limit: maxPartnerOptions + 1}})
		if err != nil || len(res.Items) > maxPartnerOptions {
			return nil, version, err
		}
		return res.Items, version, nil
	})
}
