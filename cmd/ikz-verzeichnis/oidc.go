package main

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// partnerFinder resolves a partner by id or slug (the store).
type partnerFinder interface {
	FindPartner(ctx context.Context, ref string) (coop.Partner, error)
}

// oidcActors adapts auth.OIDCVerifier to httpapi.OIDCVerifier: principals become
// actors, and the partner slugs of an editor's claim become partner ids.
type oidcActors struct {
	verifier atomic.Pointer[auth.OIDCVerifier]
	partners partnerFinder
}

// unknownPartner marks a claimed partner that the directory does not know. The
// editor stays bound (to nothing that exists) instead of becoming unbound, which
// would let it edit everything.
const unknownPartner = "unknown-partner:"

// newOIDC returns the OIDC verifier of the HTTP layer, or nil without
// IKZ_OIDC_ISSUER. The issuer's discovery document is fetched in the background,
// with retries: an identity provider that is down must not keep the directory from
// serving; until discovery succeeds, JWTs are answered with 503.
func newOIDC(ctx context.Context, cfg config.Config, partners partnerFinder, log *slog.Logger) httpapi.OIDCVerifier {
	if cfg.OIDCIssuer == "" {
		return nil
	}
	oc := auth.OIDCConfig{
		Issuer: cfg.OIDCIssuer, Audience: cfg.OIDCAudience,
		RolesClaim: cfg.OIDCRolesClaim, PartnersClaim: cfg.OIDCPartnersClaim,
	}
	o := &oidcActors{partners: partners}
	go func() {
		for wait := time.Second; ; wait = min(2*wait, time.Minute) {
			dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			v, err := auth.NewOIDCVerifier(dctx, oc)
			cancel()
			if err == nil {
				o.verifier.Store(v)
				log.Info("OIDC issuer discovered", "issuer", cfg.OIDCIssuer)
				return
			}
			log.Error("OIDC discovery failed; JWTs are refused until it succeeds", "issuer", cfg.OIDCIssuer,
				"err", err.Error(), "retry_in", wait.String())
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
	}()
	return o
}

// VerifyActor checks a JWT and returns the actor it stands for: type oidc, id = sub.
// Errors: EUnauthorized (rejected token), EForbidden (no known role), EUnavailable
// (issuer not discovered yet, or the directory's database down).
func (o *oidcActors) VerifyActor(ctx context.Context, raw string) (coop.Actor, error) {
	v := o.verifier.Load()
	if v == nil {
		return coop.Actor{}, coop.Errorf(coop.EUnavailable, "Anmeldedienst noch nicht erreichbar / identity provider not reachable yet")
	}
	p, err := v.Verify(ctx, raw)
	switch {
	case errors.Is(err, auth.ErrForbidden):
		return coop.Actor{}, coop.Errorf(coop.EForbidden, "Das Token nennt keine bekannte Rolle / the token names no known role")
	case err != nil:
		return coop.Actor{}, coop.Errorf(coop.EUnauthorized, "Token ungültig oder abgelaufen / invalid or expired token")
	}
	a := coop.Actor{Type: coop.ActorOIDC, ID: p.ID, Name: p.Name, Roles: auth.RoleNames(p.Roles)}
	if !p.Has(auth.RoleEditor) || p.Has(auth.RoleAdmin) {
		// Binding restricts editors only.
		return a, nil
	}
	for _, ref := range p.Partners {
		if coop.TextProblem(ref, true) != "" {
			// Not a partner's id or slug: bound to nothing there, and never asked.
			a.Partners = append(a.Partners, unknownPartner+"?")
			continue
		}
		partner, err := o.partners.FindPartner(ctx, ref)
		switch {
		case coop.ErrorCode(err) == coop.ENotFound:
			a.Partners = append(a.Partners, unknownPartner+ref)
		case err != nil:
			return coop.Actor{}, err
		default:
			a.Partners = append(a.Partners, partner.ID)
		}
	}
	return a, nil
}
