package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// TestImportCommand: a dry run reports and writes nothing, the import applies the file
// and names its resource from the columns, a failing row is exit status 1.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "ikz.db")
	env := map[string]string{"IKZ_DATABASE_URL": dsn}
	runCmd(t, env, "seed")
	file := filepath.Join(dir, "partner.csv")
	if err := os.WriteFile(file, []byte("Slug;Name;Typ\r\nkreis-warendorf;Kreis Warendorf;Kreis\r\nciteq;citeq;Kommunaler IT-Dienstleister\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := runCmd(t, env, "import", file, "--dry-run")
	if !strings.Contains(out, "partners checked (dry run, nothing written): 2 rows — 1 created, 0 updated, 1 unchanged, 0 failed") {
		t.Fatalf("dry run: %q", out)
	}
	db, err := store.Open(dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.FindPartner(context.Background(), "kreis-warendorf"); err == nil {
		t.Fatal("the dry run wrote")
	}
	out = runCmd(t, env, "import", file)
	if !strings.Contains(out, "partners applied: 2 rows — 1 created, 0 updated, 1 unchanged, 0 failed") {
		t.Fatalf("import: %q", out)
	}
	if _, err := db.FindPartner(context.Background(), "kreis-warendorf"); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("Slug;Name;Typ\r\nkreis-coesfeld;;Kreis\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err = run(context.Background(), []string{"import", bad}, envOf(env), &stdout, &stderr)
	if err == nil || !strings.Contains(stdout.String(), "row 2, column Name:") {
		t.Fatalf("failing row: %v %q", err, stdout.String())
	}
}
