package coop

import (
	"unicode"
	"unicode/utf8"
)

// Problems of TextProblem, the codes of the field errors that name them.
const (
	TextUTF8    = "utf8"    // not valid UTF-8
	TextControl = "control" // a control character other than tab, line feed, carriage return
	TextBidi    = "bidi"    // a bidirectional embedding, override or isolate
)

// TextProblem tells what makes s unfit to be stored or shown: invalid UTF-8 (PostgreSQL
// refuses it, SQLite would store it), a control character other than tab, line feed
// and carriage return (NUL among them: PostgreSQL refuses it in text), or — where
// identifier is true (names, slugs, identifiers, tags, query values) — one of the
// bidirectional formatting characters U+202A–U+202E and U+2066–U+2069, with which a
// name can show other than it reads ("Trojan Source"). "" means s is fine.
func TextProblem(s string, identifier bool) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return TextUTF8
			}
		case r == '\t' || r == '\n' || r == '\r':
		case unicode.IsControl(r):
			return TextControl
		case identifier && (r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069):
			return TextBidi
		}
	}
	return ""
}

// TextMessage is the German and English explanation of a TextProblem code.
func TextMessage(problem string) string {
	switch problem {
	case TextUTF8:
		return "Kein gültiges UTF-8 / not valid UTF-8"
	case TextControl:
		return "Enthält ein Steuerzeichen (erlaubt sind nur Tabulator und Zeilenumbruch) / contains a control character"
	case TextBidi:
		return "Enthält ein Steuerzeichen der Schreibrichtung (U+202A–U+202E, U+2066–U+2069) / contains a bidirectional override"
	}
	return ""
}
