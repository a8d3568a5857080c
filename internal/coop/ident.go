package coop

import (
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

var (
	slugRe    = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	agsRe     = regexp.MustCompile(`^\d{8}$`)
	arsRe     = regexp.MustCompile(`^\d{12}$`)
	postalRe  = regexp.MustCompile(`^\d{5}$`)
	leitwegRe = regexp.MustCompile(`^(\d{2,12})(?:-([A-Za-z0-9]{1,30}))?-(\d{2})$`)
)

// MaxSlugLen bounds slugs so they stay readable in URLs.
const MaxSlugLen = 100

// ValidSlug reports whether s is lower-case ASCII letters, digits and single hyphens.
func ValidSlug(s string) bool { return len(s) <= MaxSlugLen && slugRe.MatchString(s) }

// ValidAGS reports whether s is an Amtlicher Gemeindeschlüssel: exactly 8 digits.
func ValidAGS(s string) bool { return agsRe.MatchString(s) }

// ValidARS reports whether s is an Amtlicher Regionalschlüssel: exactly 12 digits.
func ValidARS(s string) bool { return arsRe.MatchString(s) }

// ValidPostalCode reports whether s is a German postal code (5 digits).
func ValidPostalCode(s string) bool { return postalRe.MatchString(s) }

// ValidLeitwegID checks the structure of a Leitweg-ID (coarse part of 2–12 digits,
// optional fine part of up to 30 letters/digits, two check digits) and its check digits
// by ISO 7064 MOD 97-10. It returns "" when valid, else the violated rule:
// "pattern" or "check_digits".
func ValidLeitwegID(s string) string {
	m := leitwegRe.FindStringSubmatch(s)
	if m == nil {
		return "pattern"
	}
	want, _ := strconv.Atoi(m[3])
	if LeitwegCheckDigits(m[1]+m[2]) != want {
		return "check_digits"
	}
	return ""
}

// LeitwegCheckDigits computes the two check digits over coarse+fine part (no hyphens):
// letters become 10…35, "00" is appended, and the digits are 98 − (n mod 97).
func LeitwegCheckDigits(body string) int {
	rem := 0
	add := func(d int) { rem = (rem*10 + d) % 97 }
	for _, r := range strings.ToUpper(body) + "00" {
		switch {
		case r >= '0' && r <= '9':
			add(int(r - '0'))
		case r >= 'A' && r <= 'Z':
			v := int(r-'A') + 10
			add(v / 10)
			add(v % 10)
		}
	}
	return 98 - rem
}

// ValidEmail reports whether s is a plain address (no display name).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// ValidURL reports whether s is an absolute http(s) URL with a host.
func ValidURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}
