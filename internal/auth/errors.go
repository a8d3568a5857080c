package auth

import (
	"errors"
	"fmt"
)

// ErrUnauthenticated means the caller did not prove who it is: no credentials, or
// credentials that are malformed, unknown, expired or revoked. HTTP: 401.
var ErrUnauthenticated = errors.New("auth: authentication required")

// ErrForbidden means the caller is known but lacks the right for the action. HTTP: 403.
var ErrForbidden = errors.New("auth: forbidden")

// ErrInvalidToken means a presented bearer token (API token or JWT) was rejected. It
// wraps [ErrUnauthenticated], so errors.Is(err, ErrUnauthenticated) holds. HTTP: 401.
var ErrInvalidToken = fmt.Errorf("%w: invalid token", ErrUnauthenticated)

// ErrNoRole means a JWT was valid but carried no known role in the configured roles
// claim. It wraps [ErrForbidden] (a valid identity without a right), HTTP: 403.
var ErrNoRole = fmt.Errorf("%w: no known role in token", ErrForbidden)

// ErrUnknownRole is returned by [ParseRole] for a string that names no role.
var ErrUnknownRole = errors.New("auth: unknown role")

// Require turns the answer of a permission function into an error: nil when allowed,
// [ErrUnauthenticated] when p is anonymous (nil or without a valid role), and
// [ErrForbidden] otherwise.
//
//	if err := auth.Require(p, auth.CanWriteDirectory(p)); err != nil { return err }
func Require(p *Principal, allowed bool) error {
	switch {
	case allowed:
		return nil
	case !p.Authenticated():
		return ErrUnauthenticated
	default:
		return ErrForbidden
	}
}
