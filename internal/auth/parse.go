package auth

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseBearer extracts the token from an Authorization header value of the form
// "Bearer <token>". The scheme is matched case-insensitively and surrounding spaces are
// ignored. ok is false for another scheme, an empty token or a token containing spaces.
func ParseBearer(header string) (token string, ok bool) {
	scheme, rest, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(rest)
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}

// maxDays keeps a day count within the range of time.Duration (about 292 years).
const maxDays = int64(1<<63-1) / int64(24*time.Hour)

// ParseExpiry parses a token lifetime as given to the CLI's --expires flag: a whole
// number of days ("90d") or a Go duration ("12h", "30m", "1h30m"). The result must be
// positive.
func ParseExpiry(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok && days != "" && isDigits(days) {
		n, err := strconv.ParseInt(days, 10, 64)
		if err != nil || n > maxDays {
			return 0, fmt.Errorf("auth: expiry %q: too long", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("auth: expiry %q: want e.g. 90d, 12h or 30m", s)
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("auth: expiry %q: must be positive", s)
	}
	return d, nil
}

// isDigits reports whether s consists of ASCII digits only.
func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
