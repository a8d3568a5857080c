package store

import (
	"context"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

// RegionService gives the register of territorial units in force (internal/region).
type RegionService struct{ *base }

// Register returns the register in force: the one the binary ships with.
func (s RegionService) Register(ctx context.Context) (*region.Register, error) {
	return region.Embedded()
}
