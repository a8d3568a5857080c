package k8scheck_test

import (
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// TestDockerfile checks the image's contract line by line (no Docker needed):
// a static build on golang:1.26, a distroless nonroot final stage, and the
// entrypoint, healthcheck and defaults the compose file and manifests rely on.
func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile(dockerfile)
	if err != nil {
		t.Fatal(err)
	}
	// Join continuation lines; drop comments and blank lines.
	var instrs []string
	var cur string
	for _, line := range strings.Split(string(raw), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur == "" && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if s, ok := strings.CutSuffix(trimmed, `\`); ok {
			cur += s + " "
			continue
		}
		instrs = append(instrs, strings.Join(strings.Fields(cur+trimmed), " "))
		cur = ""
	}
	var stages [][]string
	for _, in := range instrs {
		if strings.HasPrefix(in, "FROM ") {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			t.Fatalf("instruction before FROM: %q", in)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage build, got %d stage(s)", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	if !strings.Contains(build[0], "golang:1.26-bookworm") {
		t.Errorf("build stage %q, want golang:1.26-bookworm", build[0])
	}
	if !slices.ContainsFunc(build, func(in string) bool {
		return strings.HasPrefix(in, "RUN ") && strings.Contains(in, "go mod download")
	}) {
		t.Error("build stage: no go mod download layer")
	}
	// The download layer reads the module graph, which takes the go.mod of every module
	// go.mod replaces with a directory (client/): the COPYs before it must bring them.
	gomod, err := os.ReadFile(repoRoot + "/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		t.Fatal(err)
	}
	download := slices.IndexFunc(build, func(in string) bool {
		return strings.HasPrefix(in, "RUN ") && strings.Contains(in, "go mod download")
	})
	for _, r := range mf.Replace {
		if !modfile.IsDirectoryPath(r.New.Path) {
			continue
		}
		dir := path.Clean(r.New.Path)
		want := "COPY " + dir + "/go.mod " + dir + "/go.sum ./" + dir + "/"
		if download < 0 || !slices.Contains(build[:download], want) {
			t.Errorf("build stage: want %q before go mod download (go.mod replaces %s with %s)", want, r.Old.Path, r.New.Path)
		}
	}
	if !slices.ContainsFunc(build, func(in string) bool {
		return strings.Contains(in, "CGO_ENABLED=0") && strings.Contains(in, "-trimpath") &&
			strings.Contains(in, "./cmd/ikz-verzeichnis")
	}) {
		t.Error("build stage: want CGO_ENABLED=0 go build -trimpath … ./cmd/ikz-verzeichnis")
	}
	if final[0] != "FROM gcr.io/distroless/static-debian12:nonroot" {
		t.Errorf("final stage %q, want gcr.io/distroless/static-debian12:nonroot", final[0])
	}
	for _, want := range []string{
		"USER nonroot:nonroot",
		"VOLUME /data",
		"ENV IKZ_DATABASE_URL=sqlite:/data/ikz-verzeichnis.db",
		"EXPOSE 8080",
		`ENTRYPOINT ["/ikz-verzeichnis"]`,
		`CMD ["serve"]`,
	} {
		if !slices.Contains(final, want) {
			t.Errorf("final stage lacks %q", want)
		}
	}
	if !slices.ContainsFunc(final, func(in string) bool {
		return strings.HasPrefix(in, "HEALTHCHECK ") && strings.HasSuffix(in, `CMD ["/ikz-verzeichnis", "healthcheck"]`)
	}) {
		t.Error(`final stage: want HEALTHCHECK … CMD ["/ikz-verzeichnis", "healthcheck"]`)
	}
	if !slices.ContainsFunc(final, func(in string) bool { return strings.HasPrefix(in, "LABEL org.opencontainers.image.") }) {
		t.Error("final stage: OCI labels missing")
	}
}
