// Package benchdata generates a realistic, deterministic directory for benchmarks and
// load tests: German partners (municipalities and districts with AGS, ARS, state and
// Leitweg-ID, IT providers with parents, departments, associations), cooperations of
// 2–5 members, solutions, and projects with 2–4 participants, status histories,
// finance in cents, tags, sources and descriptions of a few hundred characters.
//
// Load writes through the store: solutions with CreateSolution, everything else with
// store.BulkLoader, which writes exactly what the create and transition paths write
// (rows, members, participants, tags, timelines, change log, search documents) in
// transactions of Size.Batch records. Project slugs are p-1 … p-N and cooperation slugs
// k-1 … k-N, so that load tools can address them. The same seed gives the same data, and
// the same ids but for the solutions' (CreateSolution draws its own).
package benchdata

import (
	"context"
	"fmt"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// Size is how much to generate.
type Size struct {
	Partners, Cooperations, Projects int
	Solutions                        int // 0: Partners/50, at least 2, at most 60
	Batch                            int // records per transaction; 0: 1,000
}

// Sizes are the presets: small 200 / 500 / 5,000, medium 2,000 / 5,000 / 50,000
// (the size of the bench harness's anchor data) and large ten times that.
var Sizes = map[string]Size{
	"small":  {Partners: 200, Cooperations: 500, Projects: 5_000},
	"medium": {Partners: 2_000, Cooperations: 5_000, Projects: 50_000},
	"large":  {Partners: 20_000, Cooperations: 50_000, Projects: 500_000},
}

// Load fills db (migrated, without generated data) with a directory of size s drawn
// from seed. progress, if not nil, is told after each kind of resource and every 50
// batches of projects how many have been written.
func Load(ctx context.Context, db *store.DB, s Size, seed uint64, progress func(kind string, n int)) error {
	if s.Partners < 2 || s.Cooperations < 1 || s.Projects < 0 {
		return fmt.Errorf("benchdata: want ≥ 2 partners, ≥ 1 cooperation, ≥ 0 projects")
	}
	if s.Solutions == 0 {
		s.Solutions = min(max(s.Partners/50, 2), 60)
	}
	if s.Batch <= 0 {
		s.Batch = 1_000
	}
	if progress == nil {
		progress = func(string, int) {}
	}
	ctx = coop.WithActor(ctx, coop.System)
	g := newGen(seed, s.Partners+s.Cooperations+s.Projects)
	l := db.NewBulkLoader()
	l.SetIDs(g.uuid)

	partners := g.partnerRecords(s.Partners)
	for b := range batches(len(partners), s.Batch) {
		if _, err := l.Partners(ctx, partners[b.from:b.to]); err != nil {
			return fmt.Errorf("partners: %w", err)
		}
	}
	progress("partners", len(partners))
	for _, d := range g.solutionDrafts(s.Solutions) {
		if _, err := db.CreateSolution(ctx, d); err != nil {
			return fmt.Errorf("solution %s: %w", d.Slug, err)
		}
	}
	progress("solutions", s.Solutions)
	coops := g.cooperationRecords(s.Cooperations)
	for b := range batches(len(coops), s.Batch) {
		if _, err := l.Cooperations(ctx, coops[b.from:b.to]); err != nil {
			return fmt.Errorf("cooperations: %w", err)
		}
	}
	progress("cooperations", len(coops))
	for b := range batches(s.Projects, s.Batch) {
		if _, err := l.Projects(ctx, g.projectRecords(b.from, b.to-b.from)); err != nil {
			return fmt.Errorf("projects: %w", err)
		}
		if b.to%(s.Batch*50) == 0 && b.to < s.Projects {
			progress("projects", b.to)
		}
	}
	progress("projects", s.Projects)
	return nil
}

// span is one batch: records [from, to).
type span struct{ from, to int }

// batches yields the batches of n records, size records each.
func batches(n, size int) func(yield func(span) bool) {
	return func(yield func(span) bool) {
		for from := 0; from < n; from += size {
			if !yield(span{from, min(from+size, n)}) {
				return
			}
		}
	}
}
