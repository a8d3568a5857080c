// Command ikz-verzeichnis serves the directory of inter-municipal IT cooperations
// (IKZ-Verzeichnis) over a JSON REST API on PostgreSQL or the embedded SQLite, and
// administers it: migrate, seed, API tokens, health check.
//
// Usage:
//
//	ikz-verzeichnis [serve]              serve the API (default)
//	ikz-verzeichnis migrate              apply the database migrations and exit
//	ikz-verzeichnis seed                 migrate, load the seed into an empty database
//	ikz-verzeichnis seed --demo          migrate, load invented demo data into an empty database
//	ikz-verzeichnis token create --name N --role R [--partner SLUG]... [--expires 90d]
//	ikz-verzeichnis token list
//	ikz-verzeichnis token revoke ID
//	ikz-verzeichnis healthcheck          GET /healthz on the local listener (exit 0 = ok)
//	ikz-verzeichnis version
//
// Every setting comes from the environment (IKZ_*; see the README).
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
	"runtime/debug"
	"strings"
	"syscall"

	_ "github.com/ikz-verzeichnis/ikz-verzeichnis/docs" // the generated spec, served at /swagger/
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = ""

const usage = `ikz-verzeichnis — Verzeichnis interkommunaler IT-Kooperationen / directory of
inter-municipal IT cooperations

Usage:
  ikz-verzeichnis [serve]              serve the API (default)
  ikz-verzeichnis migrate              apply the database migrations and exit
  ikz-verzeichnis seed                 migrate, then load the seed into an empty database
  ikz-verzeichnis seed --demo [--seed N]
                                       migrate, then load invented demo data (600 projects
                                       with money and dates) into an empty database; the
                                       directory is marked as demo data for good
  ikz-verzeichnis token create --name N --role R [--partner SLUG]... [--expires 90d]
                                       create an API token; it is printed once, alone on
                                       the last line of standard output
  ikz-verzeichnis token list           list API tokens (never their secrets)
  ikz-verzeichnis token revoke ID      revoke an API token at once
  ikz-verzeichnis regions import FILE --as-of YYYY-MM-DD
                                       load a newer Gemeindeverzeichnis extract; flag
                                       partners whose key vanished (regions --help)
  ikz-verzeichnis import FILE [--dry-run] [--resource R]
                                       import a CSV, XLSX, JSON or NDJSON file (all rows
                                       or none); the report on standard output
  ikz-verzeichnis healthcheck          GET /healthz on the local listener; exit 0 if ok
  ikz-verzeichnis version              print the version

Roles: reader, controlling, editor (optionally bound with --partner), admin.
Settings come from the environment (IKZ_DATABASE_URL, IKZ_LISTEN_ADDR, …; see README.md).
`

// main wires the process to run: signals cancel the context, an error is one line on
// standard error and exit status 1.
//
//	@title						IKZ-Verzeichnis API
//	@version					1.0
//	@description				Verzeichnis interkommunaler IT-Kooperationen: Partner (Kommunen, Kreise, Landschaftsverbände, kommunale IT-Dienstleister), Kooperationen, Vorhaben und Lösungen, mit Statusverlauf, Änderungs-Feed, Suche, Controlling-Auswertungen und Exporten.
//	@description				Directory of inter-municipal IT cooperations: partners (municipalities, districts, regional associations, municipal IT service providers), cooperations, projects and solutions, with status history, change feed, search, controlling statistics and exports.
//	@description				Lesen ist öffentlich, sofern nicht abgeschaltet; Schreiben, Finanzdaten, Exporte und der Änderungs-Feed brauchen ein Token (`Authorization: Bearer …`). Reads are public unless switched off; writes, finance, exports and the change feed need a token.
//	@description				Demodaten: Ein mit `ikz-verzeichnis seed --demo` gefülltes Verzeichnis ist erfunden; dann trägt jede Antwort den Header `IKZ-Demo-Data: invented`, der Index `GET /` das Feld `demo: true`, Downloads `demo` im Dateinamen. Demo data: a directory loaded with `ikz-verzeichnis seed --demo` is invented; every answer then carries the header `IKZ-Demo-Data: invented`, the index `GET /` the field `demo: true`, downloads `demo` in their file name.
//	@contact.name				IKZ-Verzeichnis
//	@contact.url				https://github.com/ikz-verzeichnis/ikz-verzeichnis
//	@license.name				EUPL-1.2
//	@license.url				https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12
//	@BasePath					/
//	@accept						json
//	@produce					json
//	@tag.name					partners
//	@tag.description			Organisationen: Kommunen, Kreise, IT-Dienstleister, Ämter / organisations
//	@tag.name					cooperations
//	@tag.description			Kooperationsrahmen zwischen Partnern / frameworks of cooperation
//	@tag.name					projects
//	@tag.description			Kooperationsvorhaben mit Status und Verlauf / cooperation projects
//	@tag.name					solutions
//	@tag.description			Wiederverwendbare Produkte und Dienste / reusable products and services
//	@tag.name					search
//	@tag.description			Volltextsuche über alle Arten / full-text search across all kinds
//	@tag.name					stats
//	@tag.description			Controlling-Auswertungen / controlling statistics
//	@tag.name					exports
//	@tag.description			CSV- und XLSX-Exporte / CSV and XLSX exports
//	@tag.name					changes
//	@tag.description			Änderungs-Feed und Audit-Log / change feed and audit log
//	@tag.name					webhooks
//	@tag.description			Webhooks: signierte Zustellung des Änderungsprotokolls (Standard Webhooks) / signed delivery of the change log
//	@tag.name					tokens
//	@tag.description			API-Tokens (nur admin) / API tokens (admin only)
//	@tag.name					imports
//	@tag.description			Massenimport aus CSV, XLSX, JSON und NDJSON mit Probelauf / bulk import with a dry run
//	@tag.name					meta
//	@tag.description			Aufzählungen und Bezeichnungen / enums and labels
//	@tag.name					regions
//	@tag.description			Amtliches Gemeindeverzeichnis (Destatis, dl-de/by-2-0) / official register of territorial units
//	@tag.name					opendata
//	@tag.description			Offene Daten: DCAT-AP.de-Katalog und Downloads / open data: DCAT-AP.de catalogue and downloads
//	@tag.name					operations
//	@tag.description			Betrieb: Health, Readiness, Metriken / health, readiness, metrics
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				API-Token oder OIDC-JWT als `Bearer <token>` / API token or OIDC JWT as `Bearer <token>`.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, a second one ends the process the hard way.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ikz-verzeichnis: "+oneLine(err.Error()))
		os.Exit(1)
	}
}

// run executes the sub-command named by args (without the program name). It returns
// when the command is done — for serve, after ctx is cancelled and in-flight requests
// have finished.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd, rest := "serve", args
	if len(args) > 0 {
		cmd, rest = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stderr)
	case "migrate":
		return migrateCmd(ctx, rest, getenv, stderr, false)
	case "seed":
		return seedCmd(ctx, rest, getenv, stderr)
	case "token":
		return tokenCmd(ctx, rest, getenv, stdout, stderr)
	case "regions":
		return regionsCmd(ctx, rest, getenv, stdout, stderr)
	case "import":
		return importCmd(ctx, rest, getenv, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, rest, getenv)
	case "version", "--version":
		fmt.Fprintln(stdout, "ikz-verzeichnis "+versionString())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q (ikz-verzeichnis --help lists them)", cmd)
}

// migrateCmd applies the migrations and, for the seed command, loads the seed.
func migrateCmd(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, seed bool) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected arguments %q", args)
	}
	return migrateThen(ctx, getenv, stderr, func(db *store.DB, log *slog.Logger) error {
		if seed {
			return seedStore(ctx, db, log)
		}
		return nil
	})
}

// migrateThen opens the configured database, applies the migrations and runs then on it.
func migrateThen(ctx context.Context, getenv func(string) string, stderr io.Writer, then func(*store.DB, *slog.Logger) error) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrate(ctx, db, log); err != nil {
		return err
	}
	return then(db, log)
}

// seedCmd applies the migrations and loads the seed, or with --demo the invented demo
// directory of package benchdata (into an empty database only: refused otherwise).
func seedCmd(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demo := fs.Bool("demo", false, "load invented demo data instead of the seed (empty database only)")
	seed := fs.Uint64("seed", 1, "random seed of the demo data")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if !*demo {
		return migrateCmd(ctx, nil, getenv, stderr, true)
	}
	return migrateThen(ctx, getenv, stderr, func(db *store.DB, log *slog.Logger) error {
		if err := benchdata.LoadDemo(ctx, db, *seed, nil); err != nil {
			return fmt.Errorf("seed --demo: %w", err)
		}
		s := benchdata.DemoSize
		log.Info("database loaded with invented demo data", "partners", s.Partners, "cooperations", s.Cooperations,
			"projects", s.Projects, "seed", *seed)
		return nil
	})
}

// newLogger returns the process's structured logger (JSON by default).
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// openStore connects to the configured database and checks that it answers, so that
// a wrong URL or a database that is down stops the process with a clear error.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(cfg.DatabaseURL, store.Options{MaxOpenConns: cfg.DBMaxConns, MaxWriters: cfg.DBMaxWriters, ReplicaURLs: cfg.DatabaseReplicas})
	if err != nil {
		return nil, fmt.Errorf("database %s unreachable: %w", config.RedactURL(cfg.DatabaseURL), err)
	}
	pctx, cancel := context.WithTimeout(ctx, dbStartTimeout)
	defer cancel()
	for i, p := range db.Pools() {
		if err := p.PingContext(pctx); err != nil {
			db.Close()
			if i == 0 {
				return nil, fmt.Errorf("database %s unreachable: %w", config.RedactURL(cfg.DatabaseURL), err)
			}
			return nil, fmt.Errorf("read replica %s unreachable: %w", config.RedactURL(cfg.DatabaseReplicas[i-1]), err)
		}
	}
	return db, nil
}

// openForCommand opens the configured database for a command-line tool (token, import,
// regions import): logs only warnings (standard error carries the command's own
// messages), and migrates first when IKZ_MIGRATE_ON_START says so.
func openForCommand(ctx context.Context, getenv func(string) string, stderr io.Writer) (*store.DB, *slog.Logger, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, nil, err
	}
	cfg.LogLevel = max(cfg.LogLevel, slog.LevelWarn)
	log := newLogger(cfg, stderr)
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	if cfg.MigrateOnStart {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("migrate: %w", err)
		}
	}
	return db, log, nil
}

// migrate applies pending migrations (under an advisory lock on PostgreSQL).
func migrate(ctx context.Context, db *store.DB, log *slog.Logger) error {
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	log.Info("database migrated", "dialect", string(db.Dialect()))
	return nil
}

// seedStore loads the seed into an empty database.
func seedStore(ctx context.Context, db *store.DB, log *slog.Logger) error {
	seeded, err := db.Seed(ctx)
	if err != nil {
		return err
	}
	if seeded {
		log.Info("database seeded with the press release of 2018-02-07")
	} else {
		log.Debug("seed skipped: the database already holds partners")
	}
	return nil
}

// versionString names the build: the -X main.version, else the module version, plus
// the VCS revision when the binary was built from a checkout.
func versionString() string {
	v, rev, dirty := version, "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if dirty {
			rev += "-dirty"
		}
		v += " " + rev
	}
	return v
}

// oneLine folds a message into one line for the final error report.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// parseFlags parses a sub-command's flags; -h prints its usage and ends the command
// without an error (errHelp).
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	return err
}

// parseFileArgs parses a sub-command's flags and its one FILE, which may stand before
// the flags (ikz-verzeichnis import FILE --dry-run) or after them; "" when none is given.
func parseFileArgs(fs *flag.FlagSet, args []string, name string) (string, error) {
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return "", err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return "", fmt.Errorf("%s: unexpected arguments %q", name, fs.Args())
	}
	return file, nil
}

// errHelp ends a sub-command after its usage was printed on request.
var errHelp = errors.New("help requested")
