package coop

import (
	"context"
	"time"
)

// Token is an API token as lists show it: never its secret, which exists only once,
// in the answer to its creation.
type Token struct {
	ID         string
	Name       string
	Prefix     string   // the first characters of the secret, to recognise it
	Roles      []string // a set; what it may do is the union
	Partners   []Ref    // partners an editor is bound to
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TokenDraft asks for a new token.
type TokenDraft struct {
	Name      string
	Roles     []string
	Partners  []string // ids or slugs
	ExpiresAt *time.Time
}

// TokenService manages API tokens. AuthenticateToken returns the actor a secret
// stands for (EUnauthorized for an unknown, revoked or expired one) and records its
// last use.
type TokenService interface {
	CreateToken(ctx context.Context, d TokenDraft) (t Token, secret string, err error)
	ListTokens(ctx context.Context) ([]Token, error)
	RevokeToken(ctx context.Context, id string) error
	AuthenticateToken(ctx context.Context, secret string) (Actor, error)
}
