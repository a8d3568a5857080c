package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/webhook"
)

// dbStartTimeout bounds the first contact with the database at start.
const dbStartTimeout = 15 * time.Second

// readyPingTimeout bounds the database check of /readyz: a database that does not
// answer within it counts as down.
const readyPingTimeout = 2 * time.Second

// schemaPoll is how often a server that does not migrate itself checks whether the
// migrations have been applied (by a Job or `migrate`).
const schemaPoll = 2 * time.Second

// serve runs the API until ctx is cancelled, then lets in-flight requests finish
// within IKZ_SHUTDOWN_TIMEOUT.
func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", args)
	}
	began := time.Now()
	// A list page allocates some 400 KB; with Go's default GC target (GOGC=100 over a
	// live heap of ~10 MB) the collector then runs many times a second. 400 trades
	// some 35 MB of heap under load for a fifth less CPU per request (BENCHMARKS.md).
	// GOGC in the environment wins.
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetSearchCache(cfg.SearchCache); err != nil {
		return err
	}

	// Ready once the schema is current and the first-start seed is done; the database
	// must answer as well (checked on every /readyz).
	var ready atomic.Bool
	if cfg.MigrateOnStart {
		if err := migrate(ctx, db, log); err != nil {
			return err
		}
		if cfg.Seed {
			if err := seedStore(ctx, db, log); err != nil {
				return err
			}
		}
		ready.Store(true)
	} else {
		go awaitSchema(ctx, db, cfg.Seed, log, &ready)
	}

	if cfg.ChangesRetention > 0 {
		go pruneChanges(ctx, db, cfg.ChangesRetention, log)
	}

	oidcVerifier := newOIDC(ctx, cfg, db, log)
	site, err := newWeb(ctx, cfg, db, oidcVerifier, log)
	if err != nil {
		return err
	}
	safety := webhook.Safety{AllowHTTP: cfg.Webhooks.AllowHTTP, AllowPrivate: cfg.Webhooks.AllowPrivate}
	hooks := webhook.New(db, webhook.Options{Schedule: cfg.Webhooks.Schedule, Timeout: cfg.Webhooks.Timeout,
		Concurrency: cfg.Webhooks.Concurrency, Safety: safety, View: httpapi.ChangeView, Logger: log})
	for _, c := range webhook.Collectors() {
		httpapi.RegisterCollector(c)
	}
	if cfg.Webhooks.Deliver {
		// delivery waits for the schema like the API (claims fail until then and are
		// tried again); it stops with ctx and gives its leases back
		hctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		defer func() { stop(); <-done }()
		go func() { defer close(done); hooks.Run(hctx) }()
	}
	api := httpapi.New(db, httpapi.Options{
		PublicRead:     cfg.PublicRead,
		BodyLimit:      cfg.BodyLimit,
		CORSOrigins:    cfg.CORSOrigins,
		CacheMaxAge:    cfg.CacheMaxAge,
		RequestTimeout: cfg.RequestTimeout,
		RateLimit:      cfg.RateLimit,
		RateBurst:      cfg.RateBurst,
		Logger:         log,
		Ready: func(ctx context.Context) error {
			if !ready.Load() {
				return errors.New("starting: migrations or seed not done yet")
			}
			ctx, cancel := context.WithTimeout(ctx, readyPingTimeout)
			defer cancel()
			return db.Ping(ctx)
		},
		OIDC:           oidcVerifier,
		MetricsOnMain:  cfg.MetricsAddr == "",
		Web:            site,
		OpenData:       cfg.OpenData,
		WebhookSafety:  safety,
		Webhooks:       hooks,
		ImportMaxBytes: cfg.ImportMaxSize,
		ImportLimits:   importLimits(cfg),
	})

	registerDBStats(db)
	// the import jobs, once the schema is there; a job running at shutdown is handed
	// back and runs again at the next start
	go func() {
		for !ready.Load() {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
		var wg sync.WaitGroup
		for range cfg.ImportJobs {
			wg.Go(func() { api.RunImportJobs(ctx) })
		}
		wg.Wait()
	}()

	servers := []*http.Server{newHTTPServer(api.Handler(), cfg, log)}
	// open change streams end at shutdown (clients reconnect with Last-Event-ID)
	servers[0].RegisterOnShutdown(api.CloseStreams)
	addrs := []string{cfg.ListenAddr}
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", httpapi.MetricsHandler())
		servers = append(servers, newHTTPServer(mux, cfg, log))
		addrs = append(addrs, cfg.MetricsAddr)
	}
	listeners := make([]net.Listener, len(servers))
	for i, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range listeners[:i] {
				l.Close()
			}
			return fmt.Errorf("listen on %s: %w", addr, err)
		}
		listeners[i] = ln
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	attrs := []any{"addr", listeners[0].Addr().String(), "version", versionString(),
		"database", string(db.Dialect()), "startup_ms", time.Since(began).Milliseconds()}
	if len(listeners) > 1 {
		attrs = append(attrs, "metrics_addr", listeners[1].Addr().String())
	}
	log.Info("listening", attrs...)

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
		serveErr = fmt.Errorf("server stopped: %w", serveErr)
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil {
			// Requests still running after the timeout are cut off; the shutdown
			// itself was asked for, so that is logged, not an error of the process.
			log.Warn("shutdown timeout: closing remaining connections", "err", err.Error())
			srv.Close()
		}
	}
	if serveErr == nil {
		log.Info("stopped")
	}
	return serveErr
}

// newHTTPServer sets the timeouts that protect a listener from slow clients. There is
// no WriteTimeout: exports stream for as long as they need; the per-request timeout
// of the HTTP layer bounds everything else.
func newHTTPServer(h http.Handler, cfg config.Config, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.RequestTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// awaitSchema waits until the migrations have been applied by someone else (a
// migration Job, `ikz-verzeichnis migrate`), seeds if asked to, and then marks the
// server ready. Until then /readyz answers 503 and the data endpoints may fail.
func awaitSchema(ctx context.Context, db *store.DB, seed bool, log *slog.Logger, ready *atomic.Bool) {
	waiting := false
	for {
		current, err := db.SchemaCurrent(ctx)
		if err == nil && current && seed {
			err = seedStore(ctx, db, log)
		}
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Warn("start-up: database not ready", "err", err.Error())
		case current:
			ready.Store(true)
			log.Info("ready: database schema is current")
			return
		case !waiting:
			waiting = true
			log.Info("waiting for migrations (IKZ_MIGRATE_ON_START=false: run `ikz-verzeichnis migrate`)")
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(schemaPoll):
		}
	}
}

// registerDBStats exposes the connection pools' statistics (open, in use, idle, wait
// count and time) on /metrics: the primary as db_name="ikz", each read replica as
// db_name="ikz-replica-N"; and the search cache's hits and misses.
func registerDBStats(db *store.DB) {
	for i, p := range db.Pools() {
		name := "ikz"
		if i > 0 {
			name = fmt.Sprintf("ikz-replica-%d", i)
		}
		httpapi.RegisterCollector(collectors.NewDBStatsCollector(p, name))
	}
	httpapi.RegisterSearchCache(db.SearchCacheStats)
}
