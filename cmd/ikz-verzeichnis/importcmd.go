package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/imports"
)

const importUsage = `Usage:
  ikz-verzeichnis import FILE [--resource partners|cooperations|projects] [--dry-run] [--mode upsert|create] [--json]

Imports a CSV, XLSX, JSON or NDJSON file (by its extension) as POST /api/v1/imports does,
directly on the database, as the system: every row checked, all rows or none written.
--resource is taken from the table's columns when not given. Progress goes to standard
error on a terminal, the report to standard output (--json: as the API writes it). Exit
status 1 when a row fails (nothing was written).
`

// importCmd runs a bulk import from the command line.
func importCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, importUsage) }
	resource := fs.String("resource", "", "partners, cooperations or projects (default: from the columns)")
	dry := fs.Bool("dry-run", false, "check every row, write nothing")
	mode := fs.String("mode", httpapi.ImportUpsert, "upsert (create or merge by slug) or create")
	asJSON := fs.Bool("json", false, "write the report as JSON")
	file, err := parseFileArgs(fs, args, "import")
	if errors.Is(err, errHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if file == "" {
		return errors.New("import: a file is required (see ikz-verzeichnis import --help)")
	}
	format := imports.FormatOfName(file)
	if format == "" {
		return fmt.Errorf("import: %s: want a .csv, .xlsx, .json or .ndjson file", file)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	data, err := readImportFile(file, cfg.ImportMaxSize)
	if err != nil {
		return err
	}
	if *resource == "" {
		if *resource = httpapi.ImportResourceOf(format, data); *resource == "" {
			return errors.New("import: --resource partners, cooperations or projects is needed for this file")
		}
	}
	req := httpapi.ImportRequest{Resource: *resource, Format: format, Mode: *mode, DryRun: *dry, Limits: importLimits(cfg)}
	if *mode != httpapi.ImportUpsert && *mode != httpapi.ImportCreate {
		return fmt.Errorf("import: --mode: want upsert or create, got %q", *mode)
	}

	db, log, err := openForCommand(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	api := httpapi.New(db, httpapi.Options{Logger: log})
	actor := coop.Actor{Type: coop.ActorSystem, ID: "import", Name: "ikz-verzeichnis import", Roles: []string{"admin"}}
	report := &httpapi.ImportReport{ID: uuid.NewString()}
	bar := newProgressBar(stderr)
	ictx := coop.WithActor(ctx, actor)
	err = api.RunImport(ictx, req, data, report, bar.show)
	bar.done()
	if err != nil {
		return fmt.Errorf("import: %s", describe(err))
	}
	if err := api.RecordImport(ictx, req, report); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		writeImportReport(stdout, report)
	}
	if report.Status != coop.ImportSucceeded {
		return fmt.Errorf("import: %d of %d rows failed; nothing was written", report.Failed, report.RowsTotal)
	}
	return nil
}

// importLimits are the bounds of an import file's rows, columns and cells the
// configuration sets (IKZ_IMPORT_MAX_ROWS), as the API applies them.
func importLimits(cfg config.Config) imports.Limits {
	lim := imports.DefaultLimits
	lim.MaxRows = cfg.ImportMaxRows
	return lim
}

// readImportFile reads a file of at most maxBytes (IKZ_IMPORT_MAX_SIZE, as the API).
func readImportFile(name string, maxBytes int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("import: %s is larger than %d bytes (IKZ_IMPORT_MAX_SIZE)", name, maxBytes)
	}
	return data, nil
}

// writeImportReport writes the report for people: the counts, then each error with
// its row and column.
func writeImportReport(w io.Writer, r *httpapi.ImportReport) {
	what := "applied"
	if r.DryRun {
		what = "checked (dry run, nothing written)"
	}
	if r.Status != coop.ImportSucceeded {
		what = "failed: nothing written"
	}
	fmt.Fprintf(w, "%s %s: %d rows — %d created, %d updated, %d unchanged, %d failed\n",
		r.Resource, what, r.RowsTotal, r.Created, r.Updated, r.Unchanged, r.Failed)
	for _, e := range r.Errors {
		where := fmt.Sprintf("row %d", e.Row)
		if e.Column != "" {
			where += ", column " + e.Column
		} else if e.Field != "" {
			where += ", " + e.Field
		}
		fmt.Fprintf(w, "  %s: %s (%s)\n", where, e.Message, e.Code)
	}
	if r.Truncated {
		fmt.Fprintln(w, "  … (more than listed)")
	}
}

// progressBar shows rows done on a terminal (standard error), at most ten times a
// second; elsewhere (a pipe, a log) nothing.
type progressBar struct {
	w    io.Writer
	on   bool
	last time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	on := false
	if ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progressBar{w: w, on: on}
}

func (p *progressBar) show(done, total int) {
	if !p.on || (done != total && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	const width = 30
	n := width
	if total > 0 {
		n = done * width / total
	}
	pct := 100
	if total > 0 {
		pct = done * 100 / total
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d rows (%d%%)", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total, pct)
}

func (p *progressBar) done() {
	if p.on && !p.last.IsZero() {
		fmt.Fprintln(p.w)
	}
}
