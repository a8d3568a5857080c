package textsearch

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldTable maps lower-case non-ASCII letters to their ASCII folding. German
// umlauts fold to the bare vowel (ä→a); the "ae" transcription is collapsed to
// the same form by folder.addASCII.
var foldTable = buildFoldTable()

func buildFoldTable() map[rune]string {
	m := map[rune]string{
		'ä': "a", 'ö': "o", 'ü': "u", 'ß': "ss", 'æ': "ae", 'œ': "oe",
		'ø': "o", 'đ': "d", 'ð': "d", 'ħ': "h", 'ı': "i", 'ł': "l", 'ŀ': "l",
		'ŧ': "t", 'þ': "th", 'ſ': "s", 'ĳ': "ij", 'ŉ': "n", 'ŋ': "n",
	}
	for base, letters := range map[string]string{
		"a": "àáâãåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě",
		"g": "ĝğġģ", "h": "ĥ", "i": "ìíîïĩīĭį", "j": "ĵ", "k": "ķĸ",
		"l": "ĺļľ", "n": "ñńņň", "o": "òóôõōŏő", "r": "ŕŗř", "s": "śŝşšș",
		"t": "ţťț", "u": "ùúûũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}

// folder accumulates folded output; words are separated by single spaces.
type folder struct {
	b         []byte
	keepOther bool // keep unknown letters and digits (for SortKey)
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// addASCII appends c, dropping the "e" of the umlaut transcriptions ae, oe
// and ue. The e is kept after diphthongs and "qu" (Bauer, Steuer, Quelle),
// where it is no umlaut. The decision depends only on the previous two output
// bytes, which makes folding idempotent.
func (f *folder) addASCII(c byte) {
	if n := len(f.b); c == 'e' && n > 0 {
		if l := f.b[n-1]; l == 'a' || l == 'o' || l == 'u' {
			p := byte(' ')
			if n > 1 {
				p = f.b[n-2]
			}
			if !isVowel(p) && (l != 'u' || p != 'q') {
				return
			}
		}
	}
	f.b = append(f.b, c)
}

func (f *folder) sep() {
	if n := len(f.b); n > 0 && f.b[n-1] != ' ' {
		f.b = append(f.b, ' ')
	}
}

func (f *folder) add(r rune) {
	r = unicode.ToLower(r)
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		f.addASCII(byte(r))
	case foldTable[r] != "":
		for i := 0; i < len(foldTable[r]); i++ {
			f.addASCII(foldTable[r][i])
		}
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		// Combining accents (decomposed "u\u0308"), soft hyphens and
		// zero-width characters belong to the word around them.
	case f.keepOther && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		f.b = utf8.AppendRune(f.b, r)
	default:
		f.sep()
	}
}

func fold(s string, keepOther bool) string {
	f := folder{b: make([]byte, 0, len(s)), keepOther: keepOther}
	for _, r := range s {
		f.add(r)
	}
	return strings.TrimSuffix(string(f.b), " ")
}

// Fold returns the canonical search form of s: lower case; ä, ö, ü and their
// transcriptions ae, oe, ue fold to a, o, u; ß becomes ss; accents are
// stripped (é→e); every other character separates words. The result contains
// only [a-z0-9] words joined by single spaces. Fold is idempotent.
func Fold(s string) string {
	return fold(s, false)
}

// Tokens returns the folded words of s, in order, with repetitions.
func Tokens(s string) []string {
	return strings.Fields(Fold(s))
}

// SortKey returns a case- and umlaut-insensitive sort key for s, folded like
// [Fold] ("Münster", "Muenster" → "munster") but keeping letters and digits
// of other scripts. Sorting by the key's bytes gives the same order under
// PostgreSQL COLLATE "C" and SQLite BINARY; numbers sort as text ("10" < "9").
func SortKey(s string) string {
	return fold(s, true)
}
