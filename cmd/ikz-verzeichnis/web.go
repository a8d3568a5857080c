package main

import (
	"context"
	"log/slog"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/web"
)

// newWeb builds the web pages that share the API's server. With IKZ_OIDC_ISSUER set,
// people sign in at the issuer (authorization code + PKCE) as IKZ_OIDC_CLIENT_ID; their
// ID tokens are read with the API's rules (roles, partner bindings), the client id as
// the audience. api is the API's verifier, reused when both audiences are the same.
func newWeb(ctx context.Context, cfg config.Config, db *store.DB, api httpapi.OIDCVerifier, log *slog.Logger) (*web.Site, error) {
	opt := web.Options{
		PublicRead:      cfg.PublicRead,
		SessionKey:      []byte(cfg.SessionKey),
		SessionLifetime: cfg.SessionLifetime,
		EmbedOrigins:    cfg.EmbedOrigins,
		PublicURL:       cfg.PublicURL,
		Logger:          log,
	}
	if cfg.OIDCIssuer != "" {
		v := api
		if cfg.OIDCClientID != cfg.OIDCAudience {
			webCfg := cfg
			webCfg.OIDCAudience = cfg.OIDCClientID
			v = newOIDC(ctx, webCfg, db, log)
		}
		opt.OIDC = &web.OIDCLogin{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID,
			ClientSecret: cfg.OIDCClientSecret, PublicURL: cfg.PublicURL, Verifier: v}
	}
	return web.New(db, opt)
}
