package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// textCall finds the German texts the pages translate: {{.T "…"}}, {{$.Tf "…"}},
// r.T("…"), the labels and hints of form fields ({{$.In "path" "Label" value "Hint"}},
// .Sel/.Refs empty choices) and the labels of tables such as sortOptions.
var textCall = regexp.MustCompile(`\.Tf? "((?:[^"\\]|\\.)+)"|\bT\("((?:[^"\\]|\\.)+)"\)|Label: "((?:[^"\\]|\\.)+)"|\{"[a-z_,-]+", "((?:[^"\\]|\\.)+)"\}` +
	`|\$\.In (?:"[^"]*"|\([^)]*\)) "([^"]+)"|\$\.In [^\n]*? "([^"]+)"\)|\.(?:Sel "[a-z_]+"|Refs [.$A-Za-z]+) "([^"]+)"`)

// TestEnglishComplete: every German text of the templates and handlers has an English
// entry, so no English page shows German.
func TestEnglishComplete(t *testing.T) {
	var missing []string
	check := func(src string) {
		for _, m := range textCall.FindAllStringSubmatch(src, -1) {
			s := strings.Join(m[1:], "")
			if _, ok := english[s]; !ok && !slices.Contains(missing, s) {
				missing = append(missing, s)
			}
		}
	}
	_ = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(templateFS, p)
			check(string(b))
		}
		return nil
	})
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		check(string(b))
	}
	for _, s := range missing {
		t.Errorf("no English for %q", s)
	}
}
