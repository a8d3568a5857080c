// Command ikz-benchdata fills a database with a realistic, deterministic directory for
// benchmarks: German partners (municipalities and districts with AGS, ARS, state and
// Leitweg-ID, IT providers with parents, departments, associations), cooperations of
// 2–5 members, solutions, and projects with 2–4 participants, status histories,
// finance in cents, tags, sources and descriptions of a few hundred characters.
//
//	ikz-benchdata -db postgres://… -size medium          # 2,000 / 5,000 / 50,000
//	ikz-benchdata -db sqlite:/tmp/bench.db -partners 200 -cooperations 500 -projects 5000 -seed 1
//
// It writes through the store: solutions with CreateSolution, everything else with
// store.BulkLoader, which writes exactly what the create and transition paths write
// (rows, members, participants, tags, timelines, change log, search documents) in
// transactions of -batch records. Project slugs are p-1 … p-N, cooperation slugs k-1 …
// k-N, so load tools can address them. The same -seed gives the same data, and the
// same ids but for the solutions' (CreateSolution draws its own).
// Run it on an empty database: slugs of an earlier run collide.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// sizes are the presets of -size: partners, cooperations, projects.
var sizes = map[string][3]int{
	"small":  {200, 500, 5_000},
	"medium": {2_000, 5_000, 50_000},
	"large":  {20_000, 50_000, 500_000},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ikz-benchdata:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	db                        string
	partners, coops, projects int
	solutions, batch          int
	seed                      uint64
	analyze                   bool
	quiet                     bool
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("ikz-benchdata", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.db, "db", os.Getenv("IKZ_DATABASE_URL"), "database URL: postgres://… or sqlite:PATH (default $IKZ_DATABASE_URL)")
	size := fs.String("size", "", "preset: small (200/500/5,000), medium (2,000/5,000/50,000), large (20,000/50,000/500,000)")
	fs.IntVar(&o.partners, "partners", 2_000, "number of partners")
	fs.IntVar(&o.coops, "cooperations", 5_000, "number of cooperations")
	fs.IntVar(&o.projects, "projects", 50_000, "number of projects")
	fs.IntVar(&o.solutions, "solutions", 0, "number of solutions (default: partners/50, 2…60)")
	fs.IntVar(&o.batch, "batch", 1_000, "records per transaction")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed")
	fs.BoolVar(&o.analyze, "analyze", true, "VACUUM ANALYZE at the end (PostgreSQL), ANALYZE (SQLite)")
	fs.BoolVar(&o.quiet, "q", false, "no progress output")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if *size != "" {
		s, ok := sizes[*size]
		if !ok {
			return o, fmt.Errorf("-size %q: want small, medium or large", *size)
		}
		o.partners, o.coops, o.projects = s[0], s[1], s[2]
	}
	switch {
	case o.db == "":
		return o, errors.New("-db is required")
	case o.partners < 2 || o.coops < 1 || o.projects < 0 || o.batch < 1:
		return o, errors.New("want -partners ≥ 2, -cooperations ≥ 1, -projects ≥ 0, -batch ≥ 1")
	}
	if o.solutions == 0 {
		o.solutions = min(max(o.partners/50, 2), 60)
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if o.quiet {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	db, err := store.Open(o.db, store.Options{MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	began := time.Now()
	ctx = coop.WithActor(ctx, coop.System)
	g := newGen(o.seed, o.partners+o.coops+o.projects)
	l := db.NewBulkLoader()
	l.SetIDs(g.uuid)

	partners := g.partnerRecords(o.partners)
	for b := range batches(len(partners), o.batch) {
		if _, err := l.Partners(ctx, partners[b.from:b.to]); err != nil {
			return fmt.Errorf("partners: %w", err)
		}
	}
	log.Info("partners", "n", len(partners), "elapsed", time.Since(began).Round(time.Millisecond))
	for _, d := range g.solutionDrafts(o.solutions) {
		if _, err := db.CreateSolution(ctx, d); err != nil {
			return fmt.Errorf("solution %s: %w", d.Slug, err)
		}
	}
	coops := g.cooperationRecords(o.coops)
	for b := range batches(len(coops), o.batch) {
		if _, err := l.Cooperations(ctx, coops[b.from:b.to]); err != nil {
			return fmt.Errorf("cooperations: %w", err)
		}
	}
	log.Info("cooperations", "n", len(coops), "elapsed", time.Since(began).Round(time.Millisecond))
	for b := range batches(o.projects, o.batch) {
		if _, err := l.Projects(ctx, g.projectRecords(b.from, b.to-b.from)); err != nil {
			return fmt.Errorf("projects: %w", err)
		}
		if b.to%(o.batch*50) == 0 {
			log.Info("projects", "n", b.to, "elapsed", time.Since(began).Round(time.Millisecond))
		}
	}
	log.Info("projects", "n", o.projects, "elapsed", time.Since(began).Round(time.Millisecond))
	if o.analyze {
		stmt := "VACUUM (ANALYZE)"
		if db.Dialect() == store.SQLite {
			stmt = "ANALYZE"
		}
		if err := db.Gorm().WithContext(ctx).Exec(stmt).Error; err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	fmt.Fprintf(stdout, "loaded %d partners, %d solutions, %d cooperations, %d projects in %s (seed %d)\n",
		len(partners), o.solutions, len(coops), o.projects, time.Since(began).Round(time.Millisecond), o.seed)
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
