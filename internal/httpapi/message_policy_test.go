package httpapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestProblemMessagesBilingual keeps the one message policy of the API's problem
// details: every message an error of package coop carries says it in German and in
// English, "deutsch / english" (coop.Error). It reads the sources of every package
// below internal/ but the web pages, which translate their messages by language
// (internal/web), and names each coop.Errorf format and coop.Error Message literal
// without " / ". Exempt: internal errors (coop.EInternal, never shown), formats that
// only pass on another message ("%s"), and passOn below.
func TestProblemMessagesBilingual(t *testing.T) {
	onlyVerbs := regexp.MustCompile(`^(%[a-z])+$`)
	// passOn are formats whose argument is itself German and English (coop.TextMessage).
	passOn := map[string]bool{"Parameter %q: %s": true}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "web" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inCoop := f.Name.Name == "coop"
		check := func(lit ast.Expr) {
			b, ok := lit.(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				return
			}
			s, _ := strconv.Unquote(b.Value)
			if !strings.Contains(s, " / ") && !onlyVerbs.MatchString(s) && !passOn[s] {
				t.Errorf("%s: %q: say it in German and English (\"… / …\")", fset.Position(b.Pos()), s)
			}
		}
		isCoop := func(e ast.Expr, name string) bool {
			switch x := e.(type) {
			case *ast.SelectorExpr:
				id, ok := x.X.(*ast.Ident)
				return ok && id.Name == "coop" && x.Sel.Name == name
			case *ast.Ident:
				return inCoop && x.Name == name
			}
			return false
		}
		isFunc := func(e ast.Expr, name string) bool { id, ok := e.(*ast.Ident); return ok && id.Name == name }
		isMethod := func(e ast.Expr, name string) bool { s, ok := e.(*ast.SelectorExpr); return ok && s.Sel.Name == name }
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if isCoop(x.Fun, "Errorf") && len(x.Args) >= 2 && !isCoop(x.Args[0], "EInternal") {
					check(x.Args[1])
				}
				// the API's wrappers of coop.Errorf for a bad query (problem.go, query.go)
				if len(x.Args) >= 1 && f.Name.Name == "httpapi" && (isFunc(x.Fun, "badRequest") || isMethod(x.Fun, "fail")) {
					check(x.Args[0])
				}
			case *ast.CompositeLit:
				if isCoop(x.Type, "Error") {
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
								check(kv.Value)
							}
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
