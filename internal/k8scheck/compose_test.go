package k8scheck_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"
)

// composeFile is the part of the Compose specification compose.yaml uses;
// decoding with KnownFields fails on anything else, e.g. a misspelt key.
type composeFile struct {
	Name     string                    `yaml:"name"`
	XIKZ     yamlv3.Node               `yaml:"x-ikz"`
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]yamlv3.Node    `yaml:"volumes"`
}

type composeService struct {
	Image           string                       `yaml:"image"`
	Build           *composeBuild                `yaml:"build"`
	Command         []string                     `yaml:"command"`
	Restart         string                       `yaml:"restart"`
	Environment     map[string]string            `yaml:"environment"`
	DependsOn       map[string]composeDependency `yaml:"depends_on"`
	Healthcheck     *composeHealthcheck          `yaml:"healthcheck"`
	Ports           []string                     `yaml:"ports"`
	Volumes         []string                     `yaml:"volumes"`
	ReadOnly        bool                         `yaml:"read_only"`
	SecurityOpt     []string                     `yaml:"security_opt"`
	CapDrop         []string                     `yaml:"cap_drop"`
	StopGracePeriod string                       `yaml:"stop_grace_period"`
	Tmpfs           []string                     `yaml:"tmpfs"`
}

type composeBuild struct {
	Context    string `yaml:"context"`
	Dockerfile string `yaml:"dockerfile"`
}

type composeDependency struct {
	Condition string `yaml:"condition"`
	Restart   bool   `yaml:"restart"`
}

type composeHealthcheck struct {
	Test        []string `yaml:"test"`
	Interval    string   `yaml:"interval"`
	Timeout     string   `yaml:"timeout"`
	Retries     int      `yaml:"retries"`
	StartPeriod string   `yaml:"start_period"`
	Disable     bool     `yaml:"disable"`
}

// TestCompose checks compose.yaml: db (healthy via pg_isready) → migrate
// (one-shot, must succeed) → app (never migrates itself, checks its own
// health with the healthcheck sub-command, restarts).
func TestCompose(t *testing.T) {
	path := filepath.Join(composeDir, "compose.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yamlv3.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var f composeFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, name := range []string{"db", "migrate", "app"} {
		if _, ok := f.Services[name]; !ok {
			t.Fatalf("service %q missing", name)
		}
	}
	db, migrate, app := f.Services["db"], f.Services["migrate"], f.Services["app"]

	if !strings.HasPrefix(db.Image, "postgres:15") {
		t.Errorf("db image %q, want postgres:15", db.Image)
	}
	if db.Healthcheck == nil || !strings.Contains(strings.Join(db.Healthcheck.Test, " "), "pg_isready") {
		t.Error("db: healthcheck with pg_isready required")
	}

	if !slices.Equal(migrate.Command, []string{"migrate"}) {
		t.Errorf("migrate runs %q, want [migrate]", migrate.Command)
	}
	if migrate.Restart != "no" {
		t.Errorf("migrate restart %q, want \"no\" (one-shot)", migrate.Restart)
	}
	if d := migrate.DependsOn["db"]; d.Condition != "service_healthy" {
		t.Error("migrate must wait for db to be healthy")
	}
	// The image's HEALTHCHECK probes a server; the one-shot must switch it off.
	if migrate.Healthcheck == nil || !migrate.Healthcheck.Disable {
		t.Error("migrate: healthcheck must be disabled explicitly")
	}

	if d := app.DependsOn["db"]; d.Condition != "service_healthy" {
		t.Error("app must wait for db to be healthy")
	}
	if d := app.DependsOn["migrate"]; d.Condition != "service_completed_successfully" {
		t.Error("app must wait for migrate to complete successfully")
	}
	if app.Environment["IKZ_MIGRATE_ON_START"] != "false" {
		t.Error("app: IKZ_MIGRATE_ON_START must be false")
	}
	if app.Healthcheck == nil || !slices.Equal(app.Healthcheck.Test, []string{"CMD", "/ikz-verzeichnis", "healthcheck"}) {
		t.Error(`app: healthcheck must be ["CMD", "/ikz-verzeichnis", "healthcheck"]`)
	}
	if app.Restart == "" || app.Restart == "no" {
		t.Error("app: restart policy required")
	}
	if app.Image != migrate.Image {
		t.Errorf("app image %q and migrate image %q differ", app.Image, migrate.Image)
	}
	for name, s := range map[string]composeService{"migrate": migrate, "app": app} {
		if u := s.Environment["IKZ_DATABASE_URL"]; !strings.HasPrefix(u, "postgres://") || !strings.Contains(u, "@db:5432/") {
			t.Errorf("%s: IKZ_DATABASE_URL %q must point at postgres://…@db:5432/", name, u)
		}
		var names []string
		for k := range s.Environment {
			names = append(names, k)
		}
		checkEnvNames(t, "compose service "+name, names)
	}
}

var composeVar = regexp.MustCompile(`\$\{([A-Z0-9_]+)`)

// TestComposeEnvExample checks that .env.example documents every variable
// compose.yaml reads, and nothing else.
func TestComposeEnvExample(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(composeDir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, m := range composeVar.FindAllSubmatch(raw, -1) {
		used[string(m[1])] = true
	}
	ex, err := os.Open(filepath.Join(composeDir, ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	documented := map[string]bool{}
	sc := bufio.NewScanner(ex)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf(".env.example: %q is no KEY=value line", line)
			continue
		}
		documented[k] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for k := range used {
		if !documented[k] {
			t.Errorf("compose.yaml reads ${%s}, .env.example does not document it", k)
		}
	}
	for k := range documented {
		if !used[k] {
			t.Errorf(".env.example sets %s, compose.yaml never reads it", k)
		}
	}
}
