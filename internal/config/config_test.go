package config_test

import (
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Config{
		DatabaseURL: "sqlite:ikz-verzeichnis.db", DBMaxConns: 16, DBMaxWriters: 4, SearchCache: 1000, ListenAddr: ":8080",
		LogLevel: slog.LevelInfo, LogFormat: "json", PublicRead: true, Seed: true,
		MigrateOnStart: true, BodyLimit: 1 << 20, RequestTimeout: 15 * time.Second,
		ShutdownTimeout: 10 * time.Second, CacheMaxAge: 30 * time.Second,
		OIDCRolesClaim: "roles", OIDCPartnersClaim: "ikz_partners", SessionLifetime: 8 * time.Hour,
		ImportMaxSize: 32 << 20, ImportMaxRows: 200_000, ImportJobs: 1,
		OpenData: opendata.Settings{PublisherName: "IKZ-Verzeichnis", License: opendata.DefaultLicense, PublicRead: true},
		Webhooks: config.Webhooks{Deliver: true, Timeout: 10 * time.Second, Concurrency: 16, Schedule: []time.Duration{
			5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}
	if !reflect.DeepEqual(config.Default(), want) {
		t.Errorf("Default() differs from Load of an empty environment")
	}
	// Blank values (as compose passes "IKZ_BODY_LIMIT=") mean the default.
	c2, err := config.Load(env(map[string]string{"IKZ_BODY_LIMIT": "", "IKZ_LOG_LEVEL": "  "}))
	if err != nil || !reflect.DeepEqual(c2, want) {
		t.Errorf("blank values: %v, %+v", err, c2)
	}
}

func TestValid(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		check func(config.Config) bool
	}{
		{"postgres", map[string]string{"IKZ_DATABASE_URL": "postgres://u:p@db:5432/ikz?sslmode=disable"},
			func(c config.Config) bool { return c.DatabaseURL == "postgres://u:p@db:5432/ikz?sslmode=disable" }},
		{"postgresql", map[string]string{"IKZ_DATABASE_URL": "postgresql://db/ikz"},
			func(c config.Config) bool { return c.DatabaseURL == "postgresql://db/ikz" }},
		{"sqlite memory", map[string]string{"IKZ_DATABASE_URL": "sqlite::memory:"},
			func(c config.Config) bool { return c.DatabaseURL == "sqlite::memory:" }},
		{"replicas", map[string]string{"IKZ_DATABASE_URL": "postgres://db/ikz", "IKZ_DATABASE_REPLICA_URLS": "postgres://r1/ikz, postgres://r2/ikz,"},
			func(c config.Config) bool {
				return reflect.DeepEqual(c.DatabaseReplicas, []string{"postgres://r1/ikz", "postgres://r2/ikz"})
			}},
		{"max conns", map[string]string{"IKZ_DB_MAX_CONNS": "40"}, func(c config.Config) bool { return c.DBMaxConns == 40 }},
		{"max writers", map[string]string{"IKZ_DB_MAX_WRITERS": "8"}, func(c config.Config) bool { return c.DBMaxWriters == 8 }},
		{"search cache off", map[string]string{"IKZ_SEARCH_CACHE": "0"}, func(c config.Config) bool { return c.SearchCache == 0 }},
		{"listen", map[string]string{"IKZ_LISTEN_ADDR": "127.0.0.1:9000"}, func(c config.Config) bool { return c.ListenAddr == "127.0.0.1:9000" }},
		{"metrics", map[string]string{"IKZ_METRICS_ADDR": ":9090"}, func(c config.Config) bool { return c.MetricsAddr == ":9090" }},
		{"log level", map[string]string{"IKZ_LOG_LEVEL": "DEBUG"}, func(c config.Config) bool { return c.LogLevel == slog.LevelDebug }},
		{"log warn", map[string]string{"IKZ_LOG_LEVEL": "warn"}, func(c config.Config) bool { return c.LogLevel == slog.LevelWarn }},
		{"log error", map[string]string{"IKZ_LOG_LEVEL": "error"}, func(c config.Config) bool { return c.LogLevel == slog.LevelError }},
		{"log text", map[string]string{"IKZ_LOG_FORMAT": "text"}, func(c config.Config) bool { return c.LogFormat == "text" }},
		{"cors", map[string]string{"IKZ_CORS_ORIGINS": "https://portal.example.org, http://localhost:3000/"},
			func(c config.Config) bool {
				return reflect.DeepEqual(c.CORSOrigins, []string{"https://portal.example.org", "http://localhost:3000"})
			}},
		{"cors any", map[string]string{"IKZ_CORS_ORIGINS": "*"}, func(c config.Config) bool { return reflect.DeepEqual(c.CORSOrigins, []string{"*"}) }},
		{"bools", map[string]string{"IKZ_PUBLIC_READ": "false", "IKZ_SEED": "0", "IKZ_MIGRATE_ON_START": "FALSE"},
			func(c config.Config) bool { return !c.PublicRead && !c.Seed && !c.MigrateOnStart }},
		{"body bytes", map[string]string{"IKZ_BODY_LIMIT": "2048"}, func(c config.Config) bool { return c.BodyLimit == 2048 }},
		{"import limits", map[string]string{"IKZ_IMPORT_MAX_SIZE": "2MiB", "IKZ_IMPORT_MAX_ROWS": "500", "IKZ_IMPORT_JOBS": "3"},
			func(c config.Config) bool {
				return c.ImportMaxSize == 2<<20 && c.ImportMaxRows == 500 && c.ImportJobs == 3
			}},
		{"body KiB", map[string]string{"IKZ_BODY_LIMIT": "512KiB"}, func(c config.Config) bool { return c.BodyLimit == 512<<10 }},
		{"body MiB", map[string]string{"IKZ_BODY_LIMIT": "2MiB"}, func(c config.Config) bool { return c.BodyLimit == 2<<20 }},
		{"body MB", map[string]string{"IKZ_BODY_LIMIT": "2MB"}, func(c config.Config) bool { return c.BodyLimit == 2_000_000 }},
		{"body lower case", map[string]string{"IKZ_BODY_LIMIT": "1mib"}, func(c config.Config) bool { return c.BodyLimit == 1<<20 }},
		{"timeouts", map[string]string{"IKZ_REQUEST_TIMEOUT": "1m", "IKZ_SHUTDOWN_TIMEOUT": "500ms", "IKZ_CACHE_MAX_AGE": "0s"},
			func(c config.Config) bool {
				return c.RequestTimeout == time.Minute && c.ShutdownTimeout == 500*time.Millisecond && c.CacheMaxAge == 0
			}},
		{"rate per second", map[string]string{"IKZ_RATE_LIMIT": "20/s"}, func(c config.Config) bool { return c.RateLimit == 20 && c.RateBurst == 20 }},
		{"rate per minute", map[string]string{"IKZ_RATE_LIMIT": "600/m", "IKZ_RATE_BURST": "50"},
			func(c config.Config) bool { return c.RateLimit == 10 && c.RateBurst == 50 }},
		{"rate per hour", map[string]string{"IKZ_RATE_LIMIT": "36/h"}, func(c config.Config) bool { return c.RateLimit == 0.01 && c.RateBurst == 1 }},
		{"retention", map[string]string{"IKZ_CHANGES_RETENTION": "365d"}, func(c config.Config) bool { return c.ChangesRetention == 365*24*time.Hour }},
		{"retention hours", map[string]string{"IKZ_CHANGES_RETENTION": "720h"}, func(c config.Config) bool { return c.ChangesRetention == 720*time.Hour }},
		{"oidc", map[string]string{"IKZ_OIDC_ISSUER": "https://login.example.org/realms/ikz", "IKZ_OIDC_AUDIENCE": "ikz",
			"IKZ_OIDC_ROLES_CLAIM": "realm_access.roles", "IKZ_OIDC_PARTNERS_CLAIM": "partners"},
			func(c config.Config) bool {
				return c.OIDCIssuer == "https://login.example.org/realms/ikz" && c.OIDCAudience == "ikz" &&
					c.OIDCRolesClaim == "realm_access.roles" && c.OIDCPartnersClaim == "partners"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load(env(tt.env))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !tt.check(c) {
				t.Errorf("unexpected config %+v", c)
			}
		})
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string // the whole error, or its start when it ends in "…"
	}{
		{map[string]string{"IKZ_PUBLIC_READ": "yes please"}, `IKZ_PUBLIC_READ: want true or false, got "yes please"`},
		{map[string]string{"IKZ_SEED": "ja"}, `IKZ_SEED: want true or false, got "ja"`},
		{map[string]string{"IKZ_MIGRATE_ON_START": "2"}, `IKZ_MIGRATE_ON_START: want true or false, got "2"`},
		{map[string]string{"IKZ_DATABASE_URL": "mysql://db/ikz"}, `IKZ_DATABASE_URL: want postgres://…, postgresql://… or sqlite:PATH, got "mysql://db/ikz"`},
		{map[string]string{"IKZ_DATABASE_URL": "sqlite:"}, `IKZ_DATABASE_URL: want sqlite:PATH (or sqlite::memory:), got "sqlite:"`},
		{map[string]string{"IKZ_DATABASE_URL": "postgres://u:secret@/x"}, `IKZ_DATABASE_URL: want postgres://user:password@host:port/database, got "postgres://u:xxxxx@/x"`},
		{map[string]string{"IKZ_DATABASE_REPLICA_URLS": "postgres://r/ikz"}, `IKZ_DATABASE_REPLICA_URLS: read replicas need PostgreSQL, but IKZ_DATABASE_URL is SQLite`},
		{map[string]string{"IKZ_DATABASE_URL": "postgres://db/ikz", "IKZ_DATABASE_REPLICA_URLS": "sqlite:x.db"}, `IKZ_DATABASE_REPLICA_URLS: want comma-separated postgres:// URLs, got "sqlite:x.db"`},
		{map[string]string{"IKZ_DB_MAX_CONNS": "0"}, `IKZ_DB_MAX_CONNS: want a whole number from 1 to 1000, got "0"`},
		{map[string]string{"IKZ_DB_MAX_CONNS": "many"}, `IKZ_DB_MAX_CONNS: want a whole number from 1 to 1000, got "many"`},
		{map[string]string{"IKZ_DB_MAX_WRITERS": "1"}, `IKZ_DB_MAX_WRITERS: want a whole number from 2 to 1000, got "1"`},
		{map[string]string{"IKZ_LISTEN_ADDR": "8080"}, `IKZ_LISTEN_ADDR: want host:port or :port (e.g. :8080), got "8080"`},
		{map[string]string{"IKZ_LISTEN_ADDR": ":99999"}, `IKZ_LISTEN_ADDR: want host:port or :port (e.g. :8080), got ":99999"`},
		{map[string]string{"IKZ_METRICS_ADDR": ":http"}, `IKZ_METRICS_ADDR: want host:port or :port (e.g. :8080), got ":http"`},
		{map[string]string{"IKZ_METRICS_ADDR": ":8080"}, `IKZ_METRICS_ADDR: must differ from IKZ_LISTEN_ADDR (":8080"); leave it empty to serve /metrics on the API listener`},
		{map[string]string{"IKZ_LOG_LEVEL": "verbose"}, `IKZ_LOG_LEVEL: want debug, info, warn or error, got "verbose"`},
		{map[string]string{"IKZ_LOG_FORMAT": "xml"}, `IKZ_LOG_FORMAT: want json or text, got "xml"`},
		{map[string]string{"IKZ_CORS_ORIGINS": "portal.example.org"}, `IKZ_CORS_ORIGINS: want comma-separated origins like https://portal.example.org or *, got "portal.example.org"`},
		{map[string]string{"IKZ_CORS_ORIGINS": "https://a.example.org/path"}, `IKZ_CORS_ORIGINS: want comma-separated origins like https://portal.example.org or *, got "https://a.example.org/path"`},
		{map[string]string{"IKZ_CORS_ORIGINS": "ftp://a.example.org"}, `IKZ_CORS_ORIGINS: want comma-separated origins like https://portal.example.org or *, got "ftp://a.example.org"`},
		{map[string]string{"IKZ_BODY_LIMIT": "1 TB"}, `IKZ_BODY_LIMIT: want a size from 1 byte to 1GiB, e.g. 1048576, 512KiB, 1MiB or 2MB, got "1 TB"`},
		{map[string]string{"IKZ_IMPORT_MAX_ROWS": "0"}, `IKZ_IMPORT_MAX_ROWS: want a whole number from 1 to 1000000, got "0"`},
		{map[string]string{"IKZ_IMPORT_JOBS": "17"}, `IKZ_IMPORT_JOBS: want a whole number from 1 to 16, got "17"`},
		{map[string]string{"IKZ_BODY_LIMIT": "0"}, `IKZ_BODY_LIMIT: want a size from 1 byte to 1GiB, e.g. 1048576, 512KiB, 1MiB or 2MB, got "0"`},
		{map[string]string{"IKZ_BODY_LIMIT": "2GiB"}, `IKZ_BODY_LIMIT: want a size from 1 byte to 1GiB, e.g. 1048576, 512KiB, 1MiB or 2MB, got "2GiB"`},
		{map[string]string{"IKZ_REQUEST_TIMEOUT": "15"}, `IKZ_REQUEST_TIMEOUT: want a duration of at least 1ms, like 15s, 2m or 365d, got "15"`},
		{map[string]string{"IKZ_SHUTDOWN_TIMEOUT": "-1s"}, `IKZ_SHUTDOWN_TIMEOUT: want a duration of at least 1ms, like 15s, 2m or 365d, got "-1s"`},
		{map[string]string{"IKZ_CACHE_MAX_AGE": "-5s"}, `IKZ_CACHE_MAX_AGE: want a duration like 15s, 2m or 365d, got "-5s"`},
		{map[string]string{"IKZ_CHANGES_RETENTION": "forever"}, `IKZ_CHANGES_RETENTION: want a duration of at least 1h0m0s, like 15s, 2m or 365d, got "forever"`},
		{map[string]string{"IKZ_RATE_LIMIT": "20"}, `IKZ_RATE_LIMIT: want requests per second, minute or hour like 20/s or 600/m, got "20"`},
		{map[string]string{"IKZ_RATE_LIMIT": "0/s"}, `IKZ_RATE_LIMIT: want requests per second, minute or hour like 20/s or 600/m, got "0/s"`},
		{map[string]string{"IKZ_RATE_LIMIT": "20/d"}, `IKZ_RATE_LIMIT: want requests per second, minute or hour like 20/s or 600/m, got "20/d"`},
		{map[string]string{"IKZ_RATE_LIMIT": "20/s", "IKZ_RATE_BURST": "0"}, `IKZ_RATE_BURST: want a whole number from 1 to 1000000, got "0"`},
		{map[string]string{"IKZ_RATE_BURST": "10"}, `IKZ_RATE_BURST: set, but IKZ_RATE_LIMIT is empty (rate limiting is off)`},
		{map[string]string{"IKZ_OIDC_ISSUER": "https://login.example.org"}, `IKZ_OIDC_AUDIENCE: required when IKZ_OIDC_ISSUER is set`},
		{map[string]string{"IKZ_OIDC_AUDIENCE": "ikz"}, `IKZ_OIDC_AUDIENCE: set, but IKZ_OIDC_ISSUER is empty`},
		{map[string]string{"IKZ_OIDC_ISSUER": "login.example.org", "IKZ_OIDC_AUDIENCE": "ikz"}, `IKZ_OIDC_ISSUER: want the issuer's URL, e.g. https://login.example.org/realms/ikz, got "login.example.org"`},
		{map[string]string{"IKZ_SEED": "nein", "IKZ_LOG_LEVEL": "loud"}, `IKZ_LOG_LEVEL: want debug, info, warn or error, got "loud"; IKZ_SEED: want true or false, got "nein"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := config.Load(env(tt.env))
			if err == nil {
				t.Fatal("Load accepted a bad value")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
}

// TestVarsDocumented checks that Load reads exactly the documented variables and that
// the README's table lists every one of them with its default and meaning.
func TestVarsDocumented(t *testing.T) {
	read := map[string]bool{}
	if _, err := config.Load(func(k string) string { read[k] = true; return "" }); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatalf("README: %v", err)
	}
	for _, v := range config.Vars {
		if !read[v.Name] {
			t.Errorf("%s is documented but never read", v.Name)
		}
		def := "—"
		if v.Default != "" {
			def = "`" + v.Default + "`"
		}
		row := fmt.Sprintf("| `%s` | %s | %s |", v.Name, def, v.Doc)
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md lacks the table row\n%s", row)
		}
		delete(read, v.Name)
		delete(read, v.Name+"_FILE") // every variable may come from a file
	}
	for k := range read {
		t.Errorf("%s is read but not in config.Vars", k)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://ikz:geheim@db:5432/ikz": "postgres://ikz:xxxxx@db:5432/ikz",
		"postgres://db/ikz":                 "postgres://db/ikz",
		"sqlite:ikz.db":                     "sqlite:ikz.db",
	} {
		if got := config.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSecretFiles: every variable may come from a file named by NAME_FILE (Docker and
// Kubernetes secrets), which wins over NAME; an unreadable file names the variable.
func TestSecretFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dbURL := "postgres://ikz:s3cret@db:5432/ikz?sslmode=require"
	c, err := config.Load(env(map[string]string{
		"IKZ_DATABASE_URL":               "sqlite:/data/ikz-verzeichnis.db", // the image's default
		"IKZ_DATABASE_URL_FILE":          write("db_url", dbURL+"\n"),
		"IKZ_DATABASE_REPLICA_URLS_FILE": write("replicas", "postgres://ikz:s3cret@replica:5432/ikz\n"),
		"IKZ_SESSION_KEY_FILE":           write("session", strings.Repeat("k", 40)),
		"IKZ_OIDC_CLIENT_SECRET_FILE":    write("client", "geheim\n"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != dbURL || len(c.DatabaseReplicas) != 1 || c.SessionKey != strings.Repeat("k", 40) || c.OIDCClientSecret != "geheim" {
		t.Errorf("from files: %+v", c)
	}
	_, err = config.Load(env(map[string]string{"IKZ_DATABASE_URL_FILE": dir + "/gibt-es-nicht"}))
	if err == nil || !strings.Contains(err.Error(), "IKZ_DATABASE_URL_FILE") {
		t.Errorf("missing file: %v", err)
	}
	_, err = config.Load(env(map[string]string{"IKZ_SESSION_KEY_FILE": write("short", "kurz")}))
	if err == nil || !strings.Contains(err.Error(), "IKZ_SESSION_KEY") || strings.Contains(err.Error(), "kurz") {
		t.Errorf("a bad secret from a file: %v (the error must not show it)", err)
	}
}

func TestWebhookSchedule(t *testing.T) {
	c, err := config.Load(env(map[string]string{"IKZ_WEBHOOK_RETRY_SCHEDULE": "1s, 2m,3d"}))
	if err != nil || !reflect.DeepEqual(c.Webhooks.Schedule, []time.Duration{time.Second, 2 * time.Minute, 72 * time.Hour}) {
		t.Errorf("schedule: %v %v", c.Webhooks.Schedule, err)
	}
	for _, bad := range []string{"5s,,5m", "soon", "5s,-1s", "0s"} {
		if _, err := config.Load(env(map[string]string{"IKZ_WEBHOOK_RETRY_SCHEDULE": bad})); err == nil || !strings.Contains(err.Error(), "IKZ_WEBHOOK_RETRY_SCHEDULE") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
