package main

import (
	"log/slog"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/web"
)

// newWeb builds the web pages that share the API's server.
func newWeb(cfg config.Config, db *store.DB, oidc httpapi.OIDCVerifier, log *slog.Logger) (*web.Site, error) {
	_ = oidc // the OIDC sign-in of the pages (web.OIDCLogin) verifies ID tokens with it
	return web.New(db, web.Options{
		PublicRead:      cfg.PublicRead,
		SessionKey:      []byte(cfg.SessionKey),
		SessionLifetime: cfg.SessionLifetime,
		EmbedOrigins:    cfg.EmbedOrigins,
		Logger:          log,
	})
}
