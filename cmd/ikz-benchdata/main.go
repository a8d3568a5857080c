// Command ikz-benchdata fills a database with a realistic, deterministic directory for
// benchmarks and load tests (package benchdata: German partners, cooperations,
// solutions, projects with participants, histories, finance, tags and descriptions),
// written through the store.
//
//	ikz-benchdata -db postgres://… -size medium          # 2,000 / 5,000 / 50,000
//	ikz-benchdata -db sqlite:/tmp/bench.db -partners 200 -cooperations 500 -projects 5000 -seed 1
//
// Project slugs are p-1 … p-N, cooperation slugs k-1 … k-N. Run it on an empty
// database: the slugs of an earlier run collide.
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
	"strings"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

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
	db      string
	size    benchdata.Size
	seed    uint64
	analyze bool
	quiet   bool
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("ikz-benchdata", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.db, "db", os.Getenv("IKZ_DATABASE_URL"), "database URL: postgres://… or sqlite:PATH (default $IKZ_DATABASE_URL)")
	size := fs.String("size", "", "preset: small (200/500/5,000), medium (2,000/5,000/50,000), large (20,000/50,000/500,000); overrides the counts")
	fs.IntVar(&o.size.Partners, "partners", 2_000, "number of partners")
	fs.IntVar(&o.size.Cooperations, "cooperations", 5_000, "number of cooperations")
	fs.IntVar(&o.size.Projects, "projects", 50_000, "number of projects")
	fs.IntVar(&o.size.Solutions, "solutions", 0, "number of solutions (default: partners/50, 2…60)")
	fs.IntVar(&o.size.Batch, "batch", 1_000, "records per transaction")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed")
	fs.BoolVar(&o.analyze, "analyze", true, "VACUUM (ANALYZE) at the end (PostgreSQL), ANALYZE (SQLite)")
	fs.BoolVar(&o.quiet, "q", false, "no progress output")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if *size != "" {
		s, ok := benchdata.Sizes[*size]
		if !ok {
			return o, fmt.Errorf("-size %q: want small, medium or large", *size)
		}
		s.Solutions, s.Batch = o.size.Solutions, o.size.Batch
		o.size = s
	}
	switch {
	case o.db == "":
		return o, errors.New("-db is required")
	case o.size.Partners < 2 || o.size.Cooperations < 1 || o.size.Projects < 0 || o.size.Batch < 1:
		return o, errors.New("want -partners ≥ 2, -cooperations ≥ 1, -projects ≥ 0, -batch ≥ 1")
	}
	if o.size.Solutions == 0 {
		o.size.Solutions = min(max(o.size.Partners/50, 2), 60)
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
	// The core too: VACUUM/ANALYZE below are statements of no service.
	core, err := sqldb.Open(o.db, sqldb.Options{MaxOpenConns: 2})
	if err != nil {
		return err
	}
	db, err := store.New(core)
	if err != nil {
		_ = core.Close()
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	began := time.Now()
	err = benchdata.Load(ctx, db, o.size, o.seed, func(kind string, n int) {
		log.Info(kind, "n", n, "elapsed", time.Since(began).Round(time.Millisecond))
	})
	if err != nil {
		return withFields(err)
	}
	if o.analyze {
		stmt := "VACUUM (ANALYZE)"
		if core.Dialect() == sqldb.SQLite {
			stmt = "ANALYZE"
		}
		if err := core.Gorm().WithContext(ctx).Exec(stmt).Error; err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	s := o.size
	fmt.Fprintf(stdout, "loaded %d partners, %d solutions, %d cooperations, %d projects in %s (seed %d)\n",
		s.Partners, s.Solutions, s.Cooperations, s.Projects, time.Since(began).Round(time.Millisecond), o.seed)
	return nil
}

// withFields adds a refused record's field errors to err: the generator made a record
// the directory refuses, and which rule it broke is what its author needs to know.
func withFields(err error) error {
	var ce *coop.Error
	if !errors.As(err, &ce) || len(ce.Fields) == 0 {
		return err
	}
	var b strings.Builder
	for _, f := range ce.Fields {
		fmt.Fprintf(&b, "; %s: %s (%s)", f.Field, f.Message, f.Code)
	}
	return fmt.Errorf("%w%s", err, b.String())
}
