package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
)

// TokenMarker starts every API token, so leaked tokens are easy to recognise
// (e.g. by secret scanners) and tell apart from JWTs.
const TokenMarker = "ikz_"

// tokenBytes is the amount of randomness in a token: 256 bits.
const tokenBytes = 32

// prefixChars is how many characters after [TokenMarker] form the lookup prefix.
const prefixChars = 8

// tokenAlphabet is lower-case RFC 4648 base32: no characters that need escaping, no
// case to get wrong, and a token selects as one word on a double click.
const tokenAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

var tokenEncoding = base32.NewEncoding(tokenAlphabet).WithPadding(base32.NoPadding)

// tokenLen is the length of a token: the marker plus 52 base32 characters.
var tokenLen = len(TokenMarker) + tokenEncoding.EncodedLen(tokenBytes)

// GenerateToken returns a new API token and its lookup prefix. The secret is
// "ikz_" followed by 32 random bytes from crypto/rand in lower-case base32 (56
// characters in all); it is shown to its owner once and stored only as [HashToken].
// The prefix is "ikz_" plus the first 8 characters of the random part (see
// [TokenPrefix]); it is not secret and may be stored and shown in token lists.
func GenerateToken() (secret string, prefix string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: generate token: %w", err)
	}
	secret = TokenMarker + tokenEncoding.EncodeToString(b)
	return secret, TokenPrefix(secret), nil
}

// TokenPrefix returns the non-secret lookup prefix of a well-formed token ("ikz_" plus
// the first 8 characters of its random part), or "" if s is not one.
func TokenPrefix(s string) string {
	if !ValidTokenFormat(s) {
		return ""
	}
	return s[:len(TokenMarker)+prefixChars]
}

// HashToken returns the hex-encoded SHA-256 of an API token; only this hash is stored.
// A fast unsalted hash is right here (unlike for passwords): tokens carry 256 bits of
// randomness, so neither brute force nor precomputed tables are feasible, and a
// deterministic hash lets the token be found by an indexed lookup on every request.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ValidTokenFormat reports whether s has the shape of an API token made by
// [GenerateToken]: the "ikz_" marker and 52 lower-case base32 characters. It checks
// the shape only; whether the token exists is for the store to say.
func ValidTokenFormat(s string) bool {
	if len(s) != tokenLen || !strings.HasPrefix(s, TokenMarker) {
		return false
	}
	for _, c := range s[len(TokenMarker):] {
		if !strings.ContainsRune(tokenAlphabet, c) {
			return false
		}
	}
	return true
}
