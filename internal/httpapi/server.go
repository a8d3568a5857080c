// Package httpapi is the HTTP face of the directory: Echo routes, middleware, request
// and response DTOs with their swag annotations, and the one error renderer.
package httpapi

import (
	"context"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/imports"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/opendata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/webhook"
)

// Options configure the HTTP layer.
type Options struct {
	PublicRead     bool          // anonymous reads of directory data
	BodyLimit      int64         // bytes; default 1 MiB
	CORSOrigins    []string      // allowed origins; none = no CORS headers
	CacheMaxAge    time.Duration // Cache-Control max-age of anonymous reads
	RequestTimeout time.Duration // per request; default 15 s
	RateLimit      float64       // requests per second per token/IP; 0 = off
	RateBurst      int
	Logger         *slog.Logger
	// Ready reports whether the service can answer (migrations and seed done, database
	// reachable); /readyz answers 503 while it returns an error.
	Ready func(ctx context.Context) error
	// OIDC verifies bearer JWTs when single sign-on is configured; nil = off.
	OIDC OIDCVerifier
	// MetricsOnMain serves /metrics on the main listener (false when a separate
	// metrics address is configured).
	MetricsOnMain bool
	// Web is the web interface for people sharing this server; nil = API only.
	Web WebUI
	// OpenData are the public base URL, publisher and licence of the open-data
	// catalogue and the resources' JSON-LD (PublicRead is taken from above).
	OpenData opendata.Settings
	// StreamHeartbeat is how often the change stream sends a comment line to an idle
	// client (default 15 s); StreamPoll how often it looks for new changes (default
	// 250 ms, one query per instance however many streams are open).
	StreamHeartbeat time.Duration
	StreamPoll      time.Duration
	// MaxStreams bounds the open change streams of this instance (default 1000);
	// beyond it a new one is 503.
	MaxStreams int
	// WebhookSafety are the target URLs webhooks may have (IKZ_WEBHOOK_ALLOW_HTTP,
	// IKZ_WEBHOOK_ALLOW_PRIVATE).
	WebhookSafety webhook.Safety
	// Webhooks sends pings and redeliveries (the dispatcher); nil = 503 for those.
	Webhooks WebhookSender
	// ImportMaxBytes bounds an import file (default DefaultImportMaxBytes; the body
	// limit above does not apply to imports); ImportLimits bound its rows, columns
	// and cells (default imports.DefaultLimits).
	ImportMaxBytes int64
	// ImportSyncBytes is the largest import file answered at once (default
	// DefaultImportSyncBytes); larger ones run as jobs (RunImportJobs).
	ImportSyncBytes int64
	ImportLimits    imports.Limits
}

// WebhookSender sends one event to a subscription now, outside the ordered delivery.
type WebhookSender interface {
	Ping(ctx context.Context, w coop.Webhook) (coop.WebhookDelivery, error)
	Redeliver(ctx context.Context, w coop.Webhook, changeID int64) (coop.WebhookDelivery, error)
}

// OIDCVerifier turns a bearer JWT into the actor it stands for.
type OIDCVerifier interface {
	VerifyActor(ctx context.Context, rawJWT string) (coop.Actor, error)
}

// Services is what the handlers need of the store.
type Services interface {
	coop.Directory
	coop.TokenService
	coop.SearchService
	coop.StatsService
	coop.OpenDataService
	// Register is the register of territorial units in force (internal/region).
	Register(ctx context.Context) (*region.Register, error)
	coop.WebhookService
	coop.ImportJobService
	// Batch runs fn's reads and writes in one transaction (store.DB.Batch): the bulk
	// import.
	Batch(ctx context.Context, fn func(ctx context.Context) error) error
	// The bulk import's writes (store/imports_write.go): which slugs are live, and the
	// creates of a chunk of rows as one write (store.RecordErrors for refused ones).
	LiveSlugs(ctx context.Context, typ string, slugs []string) (map[string]bool, error)
	CreatePartners(ctx context.Context, ds []coop.PartnerDraft) error
	CreateCooperations(ctx context.Context, ds []coop.CooperationDraft) error
	CreateProjects(ctx context.Context, ds []coop.ProjectDraft) error
	coop.DemoService
}

// Server is the configured Echo instance with its dependencies.
type Server struct {
	echo    *echo.Echo
	svc     Services
	opt     Options
	log     *slog.Logger
	catalog *opendata.Catalog
	// changes tells the change streams about new changes (changestream.go).
	changes *changeWatch
	// jobs are the import jobs of this process (imports_jobs.go)
	jobs importJobs
}

// New builds the HTTP layer: middleware in the order of middleware.go, every route,
// and the one error renderer.
func New(svc Services, opt Options) *Server {
	if opt.BodyLimit <= 0 {
		opt.BodyLimit = 1 << 20
	}
	if opt.ImportMaxBytes <= 0 {
		opt.ImportMaxBytes = DefaultImportMaxBytes
	}
	if opt.ImportSyncBytes <= 0 {
		opt.ImportSyncBytes = DefaultImportSyncBytes
	}
	if opt.ImportLimits == (imports.Limits{}) {
		opt.ImportLimits = imports.DefaultLimits
	}
	if opt.RequestTimeout <= 0 {
		opt.RequestTimeout = 15 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Ready == nil {
		opt.Ready = svc.Ping
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	if opt.StreamHeartbeat <= 0 {
		opt.StreamHeartbeat = 15 * time.Second
	}
	if opt.StreamPoll <= 0 {
		opt.StreamPoll = 250 * time.Millisecond
	}
	if opt.MaxStreams <= 0 {
		opt.MaxStreams = 1000
	}
	s := &Server{echo: e, svc: svc, opt: opt, log: opt.Logger, jobs: importJobs{wake: make(chan struct{}, 1)}}
	s.changes = newChangeWatch(svc.LatestChangeID, opt.StreamPoll)
	s.openData()
	e.HTTPErrorHandler = s.renderError
	e.JSONSerializer = jsonSerializer{}
	s.middleware()
	s.routes()
	return s
}

// Echo returns the router, for route listings in tests and docs.
func (s *Server) Echo() *echo.Echo { return s.echo }
