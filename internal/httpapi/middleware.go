package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// middleware installs the request's way, in this order: RequestID → Recover →
// access log → metrics → BodyLimit → Secure → demo mark → CORS → timeout → fresh reads → auth →
// rate limit.
func (s *Server) middleware() {
	e := s.echo
	e.Use(s.requestID)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "err", err.Error(), "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "stack", string(stack))
			return err
		}}))
	e.Use(s.accessLog())
	e.Use(metricsMiddleware())
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: strconv.FormatInt(s.opt.BodyLimit, 10) + "B",
		// an import file has a limit of its own (Options.ImportMaxBytes)
		Skipper: func(c echo.Context) bool { return c.Path() == importsPath && c.Request().Method == http.MethodPost }}))
	e.Use(s.secureHeaders)
	e.Use(s.demoMark)
	e.Use(checkParams)
	if len(s.opt.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			Skipper:       func(c echo.Context) bool { return c.Path() == "/metrics" },
			AllowOrigins:  s.opt.CORSOrigins,
			AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPatch, http.MethodDelete},
			AllowHeaders:  []string{"Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Request-ID"},
			ExposeHeaders: []string{"ETag", "Link", "Location", "X-Request-ID", "Retry-After", "Content-Disposition", DemoHeader},
			MaxAge:        600,
		}))
	}
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 5, MinLength: 1024,
		// the change stream flushes each event; gzip would hold them back
		Skipper: func(c echo.Context) bool { return c.Path() == "/metrics" || c.Path() == changeStreamPath }}))
	e.Use(s.timeout)
	e.Use(freshReads)
	e.Use(s.authenticate)
	if s.opt.RateLimit > 0 {
		e.Use(s.rateLimit())
	}
}

// accessLog writes one JSON line per request with its request id.
func (s *Server) accessLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true,
		LogRemoteIP: true, LogError: true, HandleError: true, LogRoutePath: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)), slog.String("method", methodLabel(c)),
				slog.String("uri", clip(v.URI, maxLoggedURI)), slog.String("route", v.RoutePath), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("remote_ip", v.RemoteIP),
				slog.String("actor", coop.ActorFrom(c.Request().Context()).Name))
			return nil
		},
	})
}

// maxLoggedURI bounds the request URI in the access log (a client may send 64 KiB).
const maxLoggedURI = 1024

// clip cuts s to at most n bytes of valid UTF-8.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// requestID takes the caller's X-Request-ID if it is a plain token (letters, digits,
// ".", "_", ":", "-"; at most 128 bytes), else makes one: the id reaches the logs, the
// change log and the answer's header, so a client value must be bounded and inert.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch b := id[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b == '.', b == '_', b == ':', b == '-':
		default:
			return false
		}
	}
	return true
}

// secureHeaders sets the headers every response carries; the Swagger UI page gets a
// strict CSP of its own.
func (s *Server) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if strings.HasPrefix(c.Request().URL.Path, "/swagger/") {
			h.Set("Content-Security-Policy", swaggerCSP())
		} else {
			h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		}
		if c.Request().TLS != nil || c.Request().Header.Get("X-Forwarded-Proto") == "https" {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// timeout bounds the request's context, so no database call outlives it.
func (s *Server) timeout(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Path(), "/api/v1/exports/") || c.Path() == changeStreamPath {
			return next(c) // exports and the change stream run for as long as they need
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.opt.RequestTimeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// authenticate identifies the caller from the bearer token (an API token or, with
// OIDC configured, a JWT). A missing header means anonymous; a bad one is 401 at once.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := coop.WithRequestID(c.Request().Context(), c.Response().Header().Get(echo.HeaderXRequestID))
		header := c.Request().Header.Get("Authorization")
		if header != "" {
			raw, ok := auth.ParseBearer(header)
			if !ok {
				return coop.Errorf(coop.EUnauthorized, "Authorization: erwartet / expected \"Bearer <token>\"")
			}
			actor, err := s.identify(ctx, raw)
			if err != nil {
				return err
			}
			ctx = coop.WithActor(ctx, actor)
		}
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

func (s *Server) identify(ctx context.Context, raw string) (coop.Actor, error) {
	if strings.HasPrefix(raw, auth.TokenMarker) {
		return s.svc.AuthenticateToken(ctx, raw)
	}
	if s.opt.OIDC != nil && strings.Count(raw, ".") == 2 {
		a, err := s.opt.OIDC.VerifyActor(ctx, raw)
		if err != nil {
			if errors.Is(err, auth.ErrNoRole) {
				return coop.Actor{}, coop.Errorf(coop.EForbidden, "Das Token trägt keine bekannte Rolle / the token has no known role")
			}
			var ce *coop.Error
			if errors.As(err, &ce) {
				return coop.Actor{}, err
			}
			return coop.Actor{}, coop.Errorf(coop.EUnauthorized, "Ungültiges Token / invalid token")
		}
		return a, nil
	}
	return coop.Actor{}, coop.Errorf(coop.EUnauthorized, "Ungültiges Token / invalid token")
}

// rateLimit limits requests per token, or per client IP for anonymous callers.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(s.opt.RateLimit), Burst: s.opt.RateBurst, ExpiresIn: 5 * time.Minute,
	})
	retry := strconv.Itoa(max(1, int(1/s.opt.RateLimit+0.999)))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool { return c.Path() == "/healthz" || c.Path() == "/readyz" },
		Store:   store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			if a := coop.ActorFrom(c.Request().Context()); a.ID != "" {
				return "actor:" + a.ID, nil
			}
			return "ip:" + c.RealIP(), nil
		},
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", retry)
			return coop.Errorf(coop.ETooMany, "Zu viele Anfragen / too many requests")
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return coop.Errorf(coop.EInternal, "rate limiter")
		},
	})
}

// jsonSerializer writes JSON without HTML escaping (German texts keep their "&") and
// refuses unknown fields when reading.
type jsonSerializer struct{}

func (jsonSerializer) Serialize(c echo.Context, i any, indent string) error {
	enc := json.NewEncoder(c.Response())
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(i)
}

func (jsonSerializer) Deserialize(c echo.Context, i any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return coop.Errorf(coop.EInvalid, "Body nicht lesbar / body not readable")
	}
	if err := checkBody(body, reflect.TypeOf(i)); err != nil {
		return err
	}
	return decodeStrict(bytes.NewReader(body), i)
}
