// Package auth answers "who is calling and what may they do" for IKZ-Verzeichnis.
//
// It holds pure functions and small types only — no database, no HTTP framework:
//
//   - API tokens: [GenerateToken], [HashToken], [ValidTokenFormat], [TokenPrefix];
//   - the Authorization header and the CLI's --expires flag: [ParseBearer], [ParseExpiry];
//   - roles and the calling [Principal] (a nil *Principal is the anonymous caller);
//   - the permission rules of the API contract ("Access"): the Can… and May… functions;
//   - OIDC/JWT verification: [NewOIDCVerifier] and [OIDCVerifier.Verify].
//
// Permission functions answer with a bool; [Require] turns such an answer into nil,
// [ErrUnauthenticated] (401) or [ErrForbidden] (403), so the HTTP layer maps errors to
// status codes with errors.Is in one place.
package auth
