// Package config reads the service's settings from the environment: every variable
// validated at start, an error naming the variable in one line, no globals.
package config

import (
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
)

// Config is every setting of the service.
type Config struct {
	DatabaseURL       string        // IKZ_DATABASE_URL: postgres://…, postgresql://… or sqlite:PATH
	DatabaseReplicas  []string      // IKZ_DATABASE_REPLICA_URLS: read replicas (PostgreSQL only)
	DBMaxConns        int           // IKZ_DB_MAX_CONNS: PostgreSQL pool size
	DBMaxWriters      int           // IKZ_DB_MAX_WRITERS: write transactions at once on PostgreSQL
	SearchCache       int           // IKZ_SEARCH_CACHE: answers the search cache keeps; 0 = off
	ListenAddr        string        // IKZ_LISTEN_ADDR: host:port of the API
	MetricsAddr       string        // IKZ_METRICS_ADDR: own listener for /metrics; "" = on the API listener
	LogLevel          slog.Level    // IKZ_LOG_LEVEL
	LogFormat         string        // IKZ_LOG_FORMAT: json or text
	CORSOrigins       []string      // IKZ_CORS_ORIGINS: allowed origins; empty = no CORS
	PublicRead        bool          // IKZ_PUBLIC_READ: anonymous reads of directory data
	Seed              bool          // IKZ_SEED: load the seed into an empty database
	MigrateOnStart    bool          // IKZ_MIGRATE_ON_START: serve migrates before it listens
	BodyLimit         int64         // IKZ_BODY_LIMIT: request body limit in bytes
	RequestTimeout    time.Duration // IKZ_REQUEST_TIMEOUT
	ShutdownTimeout   time.Duration // IKZ_SHUTDOWN_TIMEOUT: how long in-flight requests may finish
	CacheMaxAge       time.Duration // IKZ_CACHE_MAX_AGE: Cache-Control max-age of anonymous reads
	RateLimit         float64       // IKZ_RATE_LIMIT in requests per second; 0 = off
	RateBurst         int           // IKZ_RATE_BURST
	ChangesRetention  time.Duration // IKZ_CHANGES_RETENTION; 0 = keep the change log forever
	OIDCIssuer        string        // IKZ_OIDC_ISSUER; "" = no OIDC
	OIDCAudience      string        // IKZ_OIDC_AUDIENCE
	OIDCRolesClaim    string        // IKZ_OIDC_ROLES_CLAIM
	OIDCPartnersClaim string        // IKZ_OIDC_PARTNERS_CLAIM
	OIDCClientID      string        // IKZ_OIDC_CLIENT_ID: the web sign-in's client; default IKZ_OIDC_AUDIENCE
	OIDCClientSecret  string        // IKZ_OIDC_CLIENT_SECRET: "" for a public client (PKCE only)
	PublicURL         string        // IKZ_PUBLIC_URL: the service's external base URL
	SessionKey        string        // IKZ_SESSION_KEY: signs and encrypts the web session cookie
	SessionLifetime   time.Duration // IKZ_SESSION_LIFETIME
	EmbedOrigins      []string      // IKZ_EMBED_ORIGINS: origins that may frame the /embed/… pages
	ImportMaxSize     int64         // IKZ_IMPORT_MAX_SIZE: largest import file in bytes (413 beyond)
	ImportMaxRows     int           // IKZ_IMPORT_MAX_ROWS: most rows of an import file (422 beyond)
	ImportJobs        int           // IKZ_IMPORT_JOBS: import jobs a serve process runs at once
	// OpenData: IKZ_PUBLISHER_NAME, IKZ_PUBLISHER_URI, IKZ_CONTACT_EMAIL, IKZ_DATA_LICENSE
	// (opendata.go), with PublicURL and PublicRead
	OpenData opendata.Settings
	// Webhooks: IKZ_WEBHOOKS, IKZ_WEBHOOK_… (webhook.go)
	Webhooks Webhooks
}

// Var documents one environment variable: its name, its default ("" = empty) and
// what it does. The README's table lists the same variables.
type Var struct {
	Name    string
	Default string
	Doc     string
}

// Vars lists every environment variable Load reads, in the README's order.
var Vars = append([]Var{
	{"IKZ_DATABASE_URL", "sqlite:ikz-verzeichnis.db", "postgres://… or postgresql://… selects PostgreSQL; sqlite:PATH the embedded SQLite (sqlite::memory: in memory)"},
	{"IKZ_DATABASE_REPLICA_URLS", "", "comma-separated postgres:// URLs of streaming read replicas (PostgreSQL only): reads go to them, writes, the change feed and every read of a writing request to IKZ_DATABASE_URL"},
	{"IKZ_DB_MAX_CONNS", "16", "PostgreSQL connection pool size (1–1000)"},
	{"IKZ_DB_MAX_WRITERS", "4", "write transactions at once on PostgreSQL (2–1000, at most IKZ_DB_MAX_CONNS); more wait in order, and reads keep the rest of the pool. More than the database server has cores make every write slower"},
	{"IKZ_SEARCH_CACHE", "1000", "search answers kept in memory for the current data version (0–100000; 0 = off); any write anywhere makes them stale at once"},
	{"IKZ_LISTEN_ADDR", ":8080", "address of the API listener"},
	{"IKZ_METRICS_ADDR", "", "own listener for /metrics, e.g. :9090; empty serves /metrics on the API listener"},
	{"IKZ_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"IKZ_LOG_FORMAT", "json", "json or text"},
	{"IKZ_CORS_ORIGINS", "", "comma-separated allowed origins (http(s)://host[:port]) or *; empty sends no CORS headers"},
	{"IKZ_PUBLIC_READ", "true", "anonymous reads of directory data; false requires a token for every read"},
	{"IKZ_SEED", "true", "load the seed (press release of 2018-02-07) into an empty database"},
	{"IKZ_MIGRATE_ON_START", "true", "serve migrates the database before it listens; false when a Job or `migrate` does it"},
	{"IKZ_BODY_LIMIT", "1MiB", "largest request body: bytes or e.g. 512KiB, 1MiB, 2MB"},
	{"IKZ_REQUEST_TIMEOUT", "15s", "time limit of one request"},
	{"IKZ_SHUTDOWN_TIMEOUT", "10s", "how long in-flight requests may finish after SIGTERM/SIGINT"},
	{"IKZ_CACHE_MAX_AGE", "30s", "Cache-Control max-age of anonymous reads (0s = no-cache)"},
	{"IKZ_RATE_LIMIT", "", "requests per token or client IP, e.g. 20/s or 600/m; empty = off"},
	{"IKZ_RATE_BURST", "", "burst of the rate limit; default: one second's worth (at least 1)"},
	{"IKZ_CHANGES_RETENTION", "", "how long the change log is to be kept, e.g. 365d; empty = forever; older entries are deleted hourly"},
	{"IKZ_OIDC_ISSUER", "", "OIDC issuer URL; set to accept JWTs of that issuer"},
	{"IKZ_OIDC_AUDIENCE", "", "audience the JWTs must name (required with IKZ_OIDC_ISSUER)"},
	{"IKZ_OIDC_ROLES_CLAIM", "roles", "claim (dotted path) with the caller's roles, e.g. realm_access.roles; every known role in it counts (others are ignored)"},
	{"IKZ_OIDC_PARTNERS_CLAIM", "ikz_partners", "claim with the slugs of the partners an editor is bound to"},
	{"IKZ_OIDC_CLIENT_ID", "", "client id of the web pages at the issuer (sign-in with the authorization code flow and PKCE; its ID tokens name it as audience); default IKZ_OIDC_AUDIENCE"},
	{"IKZ_OIDC_CLIENT_SECRET", "", "client secret of the web pages at the issuer; empty for a public client (PKCE alone)"},
	{"IKZ_PUBLIC_URL", "", "external base URL, e.g. https://ikz.example.org; the OIDC sign-in returns to it at /anmelden/oidc/zurueck (register that redirect URI at the issuer), and the open-data catalogue and every resource's JSON-LD name their stable URIs under it; empty = the request's scheme and host"},
	{"IKZ_SESSION_KEY", "", "secret of at least 32 characters that signs and encrypts the web session cookie, e.g. from openssl rand -base64 32; empty = random per process (sessions end on restart; set it with several instances)"},
	{"IKZ_SESSION_LIFETIME", "8h", "how long a web session lasts after signing in"},
	{"IKZ_EMBED_ORIGINS", "", "comma-separated origins (https://portal.example.org) that may show the /embed/… pages in a frame; empty = none"},
	{"IKZ_IMPORT_MAX_SIZE", "32MiB", "largest file POST /api/v1/imports and `import` take (1 byte–1GiB; 413 beyond); the whole file is held in memory, and a job's in the database"},
	{"IKZ_IMPORT_MAX_ROWS", "200000", "most rows of an import file (1–1000000; 422 beyond, nothing written)"},
	{"IKZ_IMPORT_JOBS", "1", "import jobs a serve process applies at once (1–16); each is one transaction (SQLite: one writer at a time whatever the number)"},
}, append(openDataVars, webhookVars...)...)

// Load reads and validates every variable through getenv (os.Getenv in production).
// An unset or empty variable takes its default. The error names every bad variable
// on one line, e.g. `IKZ_PUBLIC_READ: want true or false, got "yes please"`.
func Load(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		DatabaseURL:       r.databaseURL("IKZ_DATABASE_URL"),
		DBMaxConns:        r.intRange("IKZ_DB_MAX_CONNS", 1, 1000),
		DBMaxWriters:      r.intRange("IKZ_DB_MAX_WRITERS", 2, 1000),
		SearchCache:       r.intRange("IKZ_SEARCH_CACHE", 0, 100000),
		ListenAddr:        r.addr("IKZ_LISTEN_ADDR"),
		MetricsAddr:       r.addr("IKZ_METRICS_ADDR"),
		LogLevel:          r.logLevel("IKZ_LOG_LEVEL"),
		LogFormat:         r.oneOf("IKZ_LOG_FORMAT", "json", "text"),
		CORSOrigins:       r.origins("IKZ_CORS_ORIGINS"),
		PublicRead:        r.bool("IKZ_PUBLIC_READ"),
		Seed:              r.bool("IKZ_SEED"),
		MigrateOnStart:    r.bool("IKZ_MIGRATE_ON_START"),
		BodyLimit:         r.size("IKZ_BODY_LIMIT"),
		RequestTimeout:    r.duration("IKZ_REQUEST_TIMEOUT", time.Millisecond),
		ShutdownTimeout:   r.duration("IKZ_SHUTDOWN_TIMEOUT", time.Millisecond),
		CacheMaxAge:       r.duration("IKZ_CACHE_MAX_AGE", 0),
		ChangesRetention:  r.duration("IKZ_CHANGES_RETENTION", time.Hour),
		OIDCIssuer:        r.issuer("IKZ_OIDC_ISSUER"),
		OIDCAudience:      r.text("IKZ_OIDC_AUDIENCE"),
		OIDCRolesClaim:    r.text("IKZ_OIDC_ROLES_CLAIM"),
		OIDCPartnersClaim: r.text("IKZ_OIDC_PARTNERS_CLAIM"),
		OIDCClientID:      r.text("IKZ_OIDC_CLIENT_ID"),
		OIDCClientSecret:  r.text("IKZ_OIDC_CLIENT_SECRET"),
		PublicURL:         r.publicURL("IKZ_PUBLIC_URL"),
		SessionKey:        r.text("IKZ_SESSION_KEY"),
		SessionLifetime:   r.duration("IKZ_SESSION_LIFETIME", time.Minute),
		EmbedOrigins:      r.origins("IKZ_EMBED_ORIGINS"),
		ImportMaxSize:     r.size("IKZ_IMPORT_MAX_SIZE"),
		ImportMaxRows:     r.intRange("IKZ_IMPORT_MAX_ROWS", 1, 1_000_000),
		ImportJobs:        r.intRange("IKZ_IMPORT_JOBS", 1, 16),
	}
	if c.SessionKey != "" && len(c.SessionKey) < 32 {
		r.fail("IKZ_SESSION_KEY", "want at least 32 characters (e.g. openssl rand -base64 32), got %d", len(c.SessionKey))
	}
	if c.OIDCClientID == "" {
		c.OIDCClientID = c.OIDCAudience
	}
	c.DatabaseReplicas = r.replicas("IKZ_DATABASE_REPLICA_URLS", c.DatabaseURL)
	c.RateLimit, c.RateBurst = r.rate("IKZ_RATE_LIMIT", "IKZ_RATE_BURST")
	c.OpenData = r.openData(c.PublicURL, c.PublicRead)
	c.Webhooks = r.webhooks()
	if c.MetricsAddr != "" && c.MetricsAddr == c.ListenAddr {
		r.fail("IKZ_METRICS_ADDR", "must differ from IKZ_LISTEN_ADDR (%q); leave it empty to serve /metrics on the API listener", c.ListenAddr)
	}
	if c.OIDCIssuer != "" && c.OIDCAudience == "" {
		r.fail("IKZ_OIDC_AUDIENCE", "required when IKZ_OIDC_ISSUER is set")
	}
	if c.OIDCIssuer == "" && c.OIDCAudience != "" {
		r.fail("IKZ_OIDC_AUDIENCE", "set, but IKZ_OIDC_ISSUER is empty")
	}
	if len(r.errs) > 0 {
		return Config{}, fmt.Errorf("%s", strings.Join(r.errs, "; "))
	}
	return c, nil
}

// Default returns the configuration of an empty environment.
func Default() Config {
	c, err := Load(func(string) string { return "" })
	if err != nil {
		panic("config: defaults do not validate: " + err.Error())
	}
	return c
}

// RedactURL returns a database URL fit for logs: its password replaced by "xxxxx".
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}

// reader collects the errors of one Load.
type reader struct {
	getenv func(string) string
	errs   []string
}

func (r *reader) fail(name, format string, args ...any) {
	r.errs = append(r.errs, name+": "+fmt.Sprintf(format, args...))
}

// get returns the variable's value, or its default when unset or blank. NAME_FILE,
// when set, names a file that holds the value (a Docker or Kubernetes secret) and
// wins over NAME, so that a secret need not sit in the environment, where it shows in
// `docker inspect` and in every child process.
func (r *reader) get(name string) string {
	if path := strings.TrimSpace(r.getenv(name + "_FILE")); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			r.fail(name+"_FILE", "%v", err)
		} else if s := strings.TrimSpace(string(b)); s != "" {
			return s
		}
	}
	if s := strings.TrimSpace(r.getenv(name)); s != "" {
		return s
	}
	for _, v := range Vars {
		if v.Name == name {
			return v.Default
		}
	}
	panic("config: undocumented variable " + name)
}

func (r *reader) text(name string) string { return r.get(name) }

func (r *reader) bool(name string) bool {
	switch s := r.get(name); strings.ToLower(s) {
	case "true", "1":
		return true
	case "false", "0":
		return false
	default:
		r.fail(name, "want true or false, got %q", s)
		return false
	}
}

func (r *reader) oneOf(name string, allowed ...string) string {
	s := strings.ToLower(r.get(name))
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	r.fail(name, "want %s, got %q", strings.Join(allowed, " or "), r.get(name))
	return allowed[0]
}

func (r *reader) logLevel(name string) slog.Level {
	switch s := r.get(name); strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug
	case "info":
		return slog.LevelInfo
	case "warn", "warning":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	default:
		r.fail(name, "want debug, info, warn or error, got %q", s)
		return slog.LevelInfo
	}
}

func (r *reader) intRange(name string, lo, hi int) int {
	s := r.get(name)
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		r.fail(name, "want a whole number from %d to %d, got %q", lo, hi, s)
	}
	return n
}

func (r *reader) databaseURL(name string) string {
	s := r.get(name)
	if err := checkDatabaseURL(s); err != nil {
		r.fail(name, "%s, got %q", err, RedactURL(s))
	}
	return s
}

func checkDatabaseURL(s string) error {
	switch {
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return fmt.Errorf("want postgres://user:password@host:port/database")
		}
		return nil
	case strings.HasPrefix(s, "sqlite:"):
		if strings.TrimPrefix(s, "sqlite:") == "" {
			return fmt.Errorf("want sqlite:PATH (or sqlite::memory:)")
		}
		return nil
	}
	return fmt.Errorf("want postgres://…, postgresql://… or sqlite:PATH")
}

func (r *reader) replicas(name, primary string) []string {
	var out []string
	for _, s := range list(r.get(name)) {
		if !strings.HasPrefix(s, "postgres://") && !strings.HasPrefix(s, "postgresql://") || checkDatabaseURL(s) != nil {
			r.fail(name, "want comma-separated postgres:// URLs, got %q", RedactURL(s))
			return nil
		}
		out = append(out, s)
	}
	if len(out) > 0 && strings.HasPrefix(primary, "sqlite:") {
		r.fail(name, "read replicas need PostgreSQL, but IKZ_DATABASE_URL is SQLite")
		return nil
	}
	return out
}

func (r *reader) addr(name string) string {
	s := r.get(name)
	if s == "" {
		return ""
	}
	_, port, err := net.SplitHostPort(s)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		r.fail(name, "want host:port or :port (e.g. :8080), got %q", s)
	}
	return s
}

func (r *reader) origins(name string) []string {
	var out []string
	for _, s := range list(r.get(name)) {
		if s != "*" && !validOrigin(s) {
			r.fail(name, "want comma-separated origins like https://portal.example.org or *, got %q", s)
			return nil
		}
		out = append(out, strings.TrimSuffix(s, "/"))
	}
	return out
}

// validOrigin accepts scheme://host[:port] with scheme http or https and nothing else.
func validOrigin(s string) bool {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return false
	}
	if u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		return err == nil && n > 0 && n <= 65535
	}
	return !strings.HasSuffix(u.Host, ":")
}

// publicURL reads an external base URL: http(s)://host[:port][/path], without a
// trailing slash.
func (r *reader) publicURL(name string) string {
	s := strings.TrimSuffix(r.get(name), "/")
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		r.fail(name, "want the external base URL, e.g. https://ikz.example.org, got %q", s)
	}
	return s
}

func (r *reader) issuer(name string) string {
	s := r.get(name)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		r.fail(name, "want the issuer's URL, e.g. https://login.example.org/realms/ikz, got %q", s)
	}
	return s
}

// duration parses a Go duration or a number of days ("365d"); at least min (0 allows
// zero). An empty value without default is 0.
func (r *reader) duration(name string, min time.Duration) time.Duration {
	s := r.get(name)
	if s == "" {
		return 0
	}
	d, err := parseDuration(s)
	if err != nil || d < min || (min > 0 && d <= 0) {
		what := "a duration like 15s, 2m or 365d"
		if min > 0 {
			what = fmt.Sprintf("a duration of at least %s, like 15s, 2m or 365d", min)
		}
		r.fail(name, "want %s, got %q", what, s)
	}
	return d
}

func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100*365 {
			return 0, fmt.Errorf("bad number of days")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

var sizeUnits = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
}

// maxBodyLimit keeps a typo from allowing multi-gigabyte bodies.
const maxBodyLimit = 1 << 30

func (r *reader) size(name string) int64 {
	s := r.get(name)
	n, err := parseSize(s)
	if err != nil || n < 1 || n > maxBodyLimit {
		r.fail(name, "want a size from 1 byte to 1GiB, e.g. 1048576, 512KiB, 1MiB or 2MB, got %q", s)
	}
	return n
}

func parseSize(s string) (int64, error) {
	num, factor := s, int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(strings.ToUpper(s), strings.ToUpper(u.suffix)) {
			num, factor = strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/factor {
		return 0, fmt.Errorf("bad size")
	}
	return n * factor, nil
}

// rate parses "N/s", "N/m" or "N/h" into requests per second, and its burst.
func (r *reader) rate(name, burstName string) (float64, int) {
	s, b := r.get(name), r.get(burstName)
	if s == "" {
		if b != "" {
			r.fail(burstName, "set, but IKZ_RATE_LIMIT is empty (rate limiting is off)")
		}
		return 0, 0
	}
	num, unit, ok := strings.Cut(s, "/")
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	per := map[string]float64{"s": 1, "m": 60, "h": 3600}[strings.TrimSpace(unit)]
	if !ok || err != nil || per == 0 || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		r.fail(name, "want requests per second, minute or hour like 20/s or 600/m, got %q", s)
		return 0, 0
	}
	rps := n / per
	burst := max(1, int(math.Ceil(rps)))
	if b != "" {
		var err error
		burst, err = strconv.Atoi(b)
		if err != nil || burst < 1 || burst > 1_000_000 {
			r.fail(burstName, "want a whole number from 1 to 1000000, got %q", b)
			return 0, 0
		}
	}
	return rps, burst
}

// list splits a comma list, dropping blanks.
func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
