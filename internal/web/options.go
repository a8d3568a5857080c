package web

import (
	"context"
	"sync"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// partnerChoices keeps the partners the filter forms offer, for the data version they
// were read at: a page asks the store only for the version (one small statement), and
// reads the partners again after any write.
type partnerChoices struct {
	mu       sync.Mutex
	version  int64
	partners []coop.Partner // nil: more than maxPartnerOptions
	valid    bool
}

// filterPartners returns the partners of the filter forms, or nil when there are more
// than maxPartnerOptions (the form then takes slugs typed in).
func (s *Site) filterPartners(ctx context.Context) ([]coop.Partner, error) {
	version, err := s.svc.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.choices.mu.Lock()
	if s.choices.valid && s.choices.version == version {
		p := s.choices.partners
		s.choices.mu.Unlock()
		return p, nil
	}
	s.choices.mu.Unlock()
	res, err := s.svc.FindPartners(ctx, coop.PartnerFilter{Page: coop.Page{Limit: maxPartnerOptions + 1}})
	if err != nil {
		return nil, err
	}
	var partners []coop.Partner
	if len(res.Items) <= maxPartnerOptions {
		partners = res.Items
	}
	s.choices.mu.Lock()
	s.choices.version, s.choices.partners, s.choices.valid = version, partners, true
	s.choices.mu.Unlock()
	return partners, nil
}
