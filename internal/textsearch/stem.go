package textsearch

import "strings"

// Stem returns the stem of a word: s is folded first, and if folding splits
// it into several words ("IT-Hotline"), their stems are joined by a space.
//
// The stemmer follows the Snowball German algorithm on folded text, with one
// addition: a final -um in R1 is removed, so that Latin plurals share a stem
// (Rechenzentrum/Rechenzentren → "rechenzentr", Datum/Daten → "dat"). Stems
// are always prefixes of the folded word.
func Stem(s string) string {
	words := Tokens(s)
	for i, w := range words {
		words[i] = stem(w)
	}
	return strings.Join(words, " ")
}

// gopast returns the index after the first non-vowel that follows a vowel at
// or after from, or len(b).
func gopast(b []byte, from int) int {
	i := from
	for i < len(b) && !isVowel(b[i]) {
		i++
	}
	for i < len(b) && isVowel(b[i]) {
		i++
	}
	if i < len(b) {
		return i + 1
	}
	return len(b)
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

// endsWithin reports whether b ends with suffix s starting at or after pos.
func endsWithin(b []byte, s string, pos int) bool {
	return hasSuffix(b, s) && len(b)-len(s) >= pos
}

// stem stems a folded word consisting of [a-z0-9].
func stem(w string) string {
	b := []byte(w)
	// u and y between vowels are consonants: upper case marks them, as
	// isVowel only knows lower-case vowels.
	for i := 1; i+1 < len(b); i++ {
		if (b[i] == 'u' || b[i] == 'y') && isVowel(b[i-1]) && isVowel(b[i+1]) {
			b[i] -= 'a' - 'A'
		}
	}
	p1, p2 := len(b), len(b)
	if len(b) >= 3 {
		p1 = gopast(b, 0)
		p2 = gopast(b, p1)
		p1 = max(p1, 3)
	}
	b = step1(b, p1)
	b = step2(b, p1)
	b = step3(b, p1, p2)
	return strings.ToLower(string(b))
}

func step1(b []byte, p1 int) []byte {
	n := len(b)
	for _, suf := range []string{"ern", "em", "er", "um", "en", "es", "e", "s"} {
		if !hasSuffix(b, suf) {
			continue
		}
		if n-len(suf) < p1 {
			return b
		}
		switch suf {
		case "s":
			if n < 2 || !strings.ContainsRune("bdfghklmnrt", rune(b[n-2])) {
				return b
			}
			return b[:n-1]
		case "en", "es", "e":
			b = b[:n-len(suf)]
			if hasSuffix(b, "niss") {
				b = b[:len(b)-1]
			}
			return b
		}
		return b[:n-len(suf)]
	}
	return b
}

func step2(b []byte, p1 int) []byte {
	n := len(b)
	for _, suf := range []string{"est", "en", "er", "st"} {
		if !hasSuffix(b, suf) {
			continue
		}
		if n-len(suf) < p1 {
			return b
		}
		if suf == "st" {
			// st after a valid st-ending that itself follows three letters.
			if n-3 < 3 || !strings.ContainsRune("bdfghklmnt", rune(b[n-3])) {
				return b
			}
		}
		return b[:n-len(suf)]
	}
	return b
}

func step3(b []byte, p1, p2 int) []byte {
	n := len(b)
	for _, suf := range []string{"isch", "lich", "heit", "keit", "end", "ung", "ig", "ik"} {
		if !hasSuffix(b, suf) {
			continue
		}
		if n-len(suf) < p2 {
			return b
		}
		switch suf {
		case "end", "ung":
			b = b[:n-len(suf)]
			if endsWithin(b, "ig", p2) && !hasSuffix(b, "eig") {
				b = b[:len(b)-2]
			}
		case "ig", "ik", "isch":
			if !hasSuffix(b[:n-len(suf)], "e") {
				b = b[:n-len(suf)]
			}
		case "lich", "heit":
			b = b[:n-len(suf)]
			if endsWithin(b, "er", p1) || endsWithin(b, "en", p1) {
				b = b[:len(b)-2]
			}
		case "keit":
			b = b[:n-len(suf)]
			if endsWithin(b, "lich", p2) {
				b = b[:len(b)-4]
			} else if endsWithin(b, "ig", p2) {
				b = b[:len(b)-2]
			}
		}
		return b
	}
	return b
}
