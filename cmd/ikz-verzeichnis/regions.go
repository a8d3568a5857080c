package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

const regionsUsage = `Usage:
  ikz-verzeichnis regions import FILE --as-of YYYY-MM-DD [--population-as-of YYYY-MM-DD] [--release YYYY]

Loads a newer extract of the Destatis Gemeindeverzeichnis (CSV with the columns of
the one the binary ships, UTF-8) as the register in force and checks every partner's
keys against it: partners whose key vanished (a municipality merged) are flagged
outdated (GET /api/v1/partners?region_status=outdated lists them), not changed.
--as-of is the territorial status of the extract, --population-as-of the date of its
population figures (default: --as-of), --release the year Destatis published it, for
the attribution (default: the year after --as-of).
`

// regionsCmd administers the register of territorial units on the database.
func regionsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, regionsUsage)
		return nil
	}
	if args[0] != "import" {
		return fmt.Errorf("regions: unknown sub-command %q (want import)", args[0])
	}
	fs := flag.NewFlagSet("regions import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asOf := fs.String("as-of", "", "territorial status of the extract, YYYY-MM-DD (required)")
	popAsOf := fs.String("population-as-of", "", "date of the population figures, YYYY-MM-DD (default: --as-of)")
	release := fs.String("release", "", "year Destatis published the extract, for the attribution (default: the year after --as-of)")
	file, err := parseFileArgs(fs, args[1:], "regions import")
	if errors.Is(err, errHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if file == "" {
		return errors.New("regions import: want the extract's FILE (see ikz-verzeichnis regions --help)")
	}
	day, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		return errors.New("regions import: --as-of YYYY-MM-DD is required (the extract's territorial status)")
	}
	if *popAsOf == "" {
		*popAsOf = *asOf
	} else if _, err := time.Parse(time.DateOnly, *popAsOf); err != nil {
		return errors.New("regions import: --population-as-of: want YYYY-MM-DD")
	}
	if *release == "" {
		*release = fmt.Sprint(day.Year() + 1)
	} else if y, err := time.Parse("2006", *release); err != nil || y.Year() < day.Year() {
		return errors.New("regions import: --release: want the year of publication (YYYY, not before --as-of)")
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("regions import: %w", err)
	}
	csv, err := io.ReadAll(io.LimitReader(f, region.MaxBytes+1))
	f.Close()
	if err != nil {
		return fmt.Errorf("regions import: %w", err)
	}
	if len(csv) > region.MaxBytes {
		return fmt.Errorf("regions import: %s is larger than %d MB", file, region.MaxBytes>>20)
	}

	db, _, err := openForCommand(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportRegister(coop.WithActor(ctx, coop.System), csv,
		store.DestatisSource(filepath.Base(file), *asOf, *popAsOf, *release))
	if err != nil {
		return fmt.Errorf("regions import: %w", err)
	}
	if res.Unchanged {
		fmt.Fprintf(stdout, "%s is the register in force already; nothing changed.\n", file)
		return nil
	}
	fmt.Fprintf(stdout, "Register in force: %d regions (as of %s). %d partners checked; %d newly outdated, %d current again.\n",
		res.Regions, *asOf, res.Checked, len(res.Outdated), len(res.Current))
	for _, slug := range res.Outdated {
		fmt.Fprintln(stdout, "outdated: "+slug)
	}
	for _, slug := range res.Current {
		fmt.Fprintln(stdout, "current:  "+slug)
	}
	return nil
}
