package web

// OIDCLogin configures the sign-in with an OpenID Connect provider.
type OIDCLogin struct{}

// registerOIDC adds the OIDC sign-in routes when configured.
func (s *Site) registerOIDC(get func(string, handler)) {}
