// Command kerncopy installs the pinned KERN UX design system (@kern-ux/native, from
// package.json and package-lock.json beside the assets) with `npm ci` into a temporary
// folder and copies what the web pages use into kern/: the minified CSS, the Fira Sans
// font face rules with every font file they name, and the licence. go generate runs it
// (assets.go); .ci/run runs it again in a copy of the tree and fails when the committed
// kern/ differs from a fresh install.
//
//	go run ./kerncopy   (in internal/web/assets)
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
)

// fontURL finds the font files a @font-face rule names: url("./fira-sans/X.woff2").
var fontURL = regexp.MustCompile(`url\("?\./([A-Za-z0-9_./-]+)"?\)`)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "kerncopy:", err)
		os.Exit(1)
	}
}

func run() error {
	tmp, err := os.MkdirTemp("", "ikz-kern-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, f := range []string{"package.json", "package-lock.json"} {
		if err := copyFile(f, filepath.Join(tmp, f)); err != nil {
			return err
		}
	}
	npm := exec.Command("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
	npm.Dir, npm.Stdout, npm.Stderr = tmp, os.Stderr, os.Stderr
	npm.Env = append(os.Environ(), "NO_UPDATE_NOTIFIER=1")
	if err := npm.Run(); err != nil {
		return fmt.Errorf("npm ci: %w", err)
	}
	pkg := filepath.Join(tmp, "node_modules", "@kern-ux", "native")
	files := []string{"dist/kern.min.css", "dist/fonts/fira-sans.css", "LICENSE.md"}
	css, err := os.ReadFile(filepath.Join(pkg, "dist/fonts/fira-sans.css"))
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, m := range fontURL.FindAllStringSubmatch(string(css), -1) {
		if f := "dist/fonts/" + m[1]; !seen[f] {
			seen[f] = true
			files = append(files, f)
		}
	}
	sort.Strings(files[3:])
	if len(seen) == 0 {
		return fmt.Errorf("fira-sans.css names no font files")
	}
	if err := os.RemoveAll("kern"); err != nil {
		return err
	}
	for _, f := range files {
		rel, _ := filepath.Rel("dist", f)
		if f == "LICENSE.md" {
			rel = f
		}
		if err := copyFile(filepath.Join(pkg, f), filepath.Join("kern", rel)); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "kerncopy: %d files of @kern-ux/native into kern/\n", len(files))
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
