package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Default claim paths of [OIDCConfig].
const (
	// DefaultRolesClaim is the claim read for roles when OIDCConfig.RolesClaim is empty.
	// For Keycloak realm roles use "realm_access.roles", for client roles
	// "resource_access.<client>.roles".
	DefaultRolesClaim = "roles"
	// DefaultPartnersClaim is the claim read for partner bindings when
	// OIDCConfig.PartnersClaim is empty.
	DefaultPartnersClaim = "ikz_partners"
)

// signingAlgs are the JWS algorithms accepted in JWTs: asymmetric ones only. "none" and
// the HMAC algorithms (whose key would be a shared secret) are never accepted, whatever
// the issuer's discovery document advertises.
var signingAlgs = []string{
	oidc.RS256, oidc.RS384, oidc.RS512,
	oidc.PS256, oidc.PS384, oidc.PS512,
	oidc.ES256, oidc.ES384, oidc.ES512,
	oidc.EdDSA,
}

// OIDCConfig configures JWT verification against an OpenID Connect issuer.
type OIDCConfig struct {
	// Issuer is the issuer URL (IKZ_OIDC_ISSUER), exactly as the issuer writes it into
	// its discovery document and the tokens' iss claim.
	Issuer string
	// Audience must be one of the token's aud values (IKZ_OIDC_AUDIENCE). Required.
	Audience string
	// RolesClaim is the dotted path of the claim holding the caller's roles
	// (default [DefaultRolesClaim]); its value is a list of strings or one string.
	RolesClaim string
	// PartnersClaim is the dotted path of the claim holding the partners an editor is
	// bound to (default [DefaultPartnersClaim]); a list of strings or one string.
	PartnersClaim string
}

// OIDCVerifier turns JWTs from one OIDC issuer into principals. It is safe for
// concurrent use.
type OIDCVerifier struct {
	verifier      *oidc.IDTokenVerifier
	rolesClaim    string
	partnersClaim string
}

// NewOIDCVerifier fetches the issuer's discovery document
// (<issuer>/.well-known/openid-configuration) and returns a verifier that checks JWTs
// against the issuer's JWKS, which is fetched when first needed and refetched when a
// token names an unknown key. ctx bounds the discovery request only; an HTTP client
// for all requests may be supplied with oidc.ClientContext.
func NewOIDCVerifier(ctx context.Context, cfg OIDCConfig) (*OIDCVerifier, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("auth: OIDC issuer is required")
	}
	if cfg.Audience == "" {
		return nil, errors.New("auth: OIDC audience is required")
	}
	if cfg.RolesClaim == "" {
		cfg.RolesClaim = DefaultRolesClaim
	}
	if cfg.PartnersClaim == "" {
		cfg.PartnersClaim = DefaultPartnersClaim
	}
	provider, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: OIDC discovery for %q: %w", cfg.Issuer, err)
	}
	return &OIDCVerifier{
		verifier: provider.Verifier(&oidc.Config{
			ClientID:             cfg.Audience,
			SupportedSigningAlgs: signingAlgs,
		}),
		rolesClaim:    cfg.RolesClaim,
		partnersClaim: cfg.PartnersClaim,
	}, nil
}

// Verify checks rawJWT — its signature against the issuer's keys with an accepted
// algorithm, its issuer, audience, expiry and not-before — and returns the caller as a
// Principal of kind "oidc": ID is the sub claim, Name is preferred_username, name or
// sub (the first present), Roles are the known roles in the roles claim (all of them;
// unknown values are ignored), Partners come from the partners claim.
//
// A rejected token gives an error wrapping [ErrInvalidToken] (and the cause, e.g.
// *oidc.TokenExpiredError); a valid token without a known role gives [ErrNoRole].
func (v *OIDCVerifier) Verify(ctx context.Context, rawJWT string) (*Principal, error) {
	tok, err := v.verifier.Verify(ctx, rawJWT)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	if tok.Subject == "" || coop.TextProblem(tok.Subject, true) != "" {
		return nil, fmt.Errorf("%w: no usable sub claim", ErrInvalidToken)
	}
	roles := knownRoles(claimStrings(claims, v.rolesClaim))
	if len(roles) == 0 {
		return nil, fmt.Errorf("%w (claim %q)", ErrNoRole, v.rolesClaim)
	}
	name := tok.Subject
	for _, c := range []string{"preferred_username", "name"} {
		// The name is shown as the actor in the change log: only text that may be stored.
		if s, _ := claims[c].(string); strings.TrimSpace(s) != "" && coop.TextProblem(s, true) == "" {
			name = strings.TrimSpace(s)
			break
		}
	}
	return &Principal{
		Kind:     KindOIDC,
		ID:       tok.Subject,
		Name:     name,
		Roles:    roles,
		Partners: claimStrings(claims, v.partnersClaim),
	}, nil
}

// knownRoles returns the known roles among names as a set (in the order of [Roles]);
// other names are ignored: an identity provider carries roles of other services too.
func knownRoles(names []string) []Role {
	var known []string
	for _, n := range names {
		if _, err := ParseRole(n); err == nil {
			known = append(known, n)
		}
	}
	roles, _ := ParseRoles(known)
	return roles
}

// claimStrings returns the non-empty strings at a claim path: a list of strings (other
// elements are skipped) or a single string. The path is first tried as one claim name
// (namespaced claims such as "https://example.org/roles" contain dots), then as
// dot-separated keys into nested objects ("realm_access.roles").
func claimStrings(claims map[string]any, path string) []string {
	v, ok := claims[path]
	if !ok {
		v = claimAt(claims, strings.Split(path, "."))
	}
	var raw []any
	switch x := v.(type) {
	case string:
		raw = []any{x}
	case []any:
		raw = x
	}
	var out []string
	for _, e := range raw {
		s, ok := e.(string)
		if s = strings.TrimSpace(s); ok && s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// claimAt walks keys into nested JSON objects and returns the value found, or nil.
func claimAt(obj map[string]any, keys []string) any {
	var cur any = obj
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}
