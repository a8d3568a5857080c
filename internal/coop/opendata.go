package coop

import (
	"context"
	"time"
)

// DataStamp says when the directory last changed: the data version (raised by every
// write in its own transaction) and the time of the newest write. Downloads and the open-data catalogue derive their validators from it
// (ETag, Last-Modified, dct:modified) without reading the data itself.
type DataStamp struct {
	Version int64
	At      time.Time // zero before the first write
}

// PartnerKey is a live partner's official key: its ARS and AGS (one may be empty).
type PartnerKey struct {
	ID, Type, ARS, AGS string
}

// DateSpan is the span of a collection's dates: the earliest start and the latest end
// (zero where no record has one).
type DateSpan struct {
	From, To PartialDate
}

// OpenDataFacts are what the open-data catalogue says about the directory as a whole:
// where (the partners' keys, and which partners take part in cooperations and
// projects) and when (the periods). They are aggregates, read in a few queries whose
// answers grow with the number of partners and distinct dates, never with the number
// of projects.
type OpenDataFacts struct {
	Keys                []PartnerKey // live partners with an ARS or AGS
	CooperationPartners []string     // those of Keys that are members of live cooperations
	ProjectPartners     []string     // those of Keys that take part in live projects
	Cooperations        DateSpan     // started_on … ended_on
	Projects            DateSpan     // started_on … ended_on, else planned_end_on
}

// OpenDataService reads what downloads and the open-data catalogue need. Errors:
// EUnavailable.
type OpenDataService interface {
	DataStamp(ctx context.Context) (DataStamp, error)
	OpenDataFacts(ctx context.Context) (OpenDataFacts, error)
}
