package textsearch

import (
	"html"
	"strings"
	"unicode"
)

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf)
}

type span struct {
	start, end int // rune offsets
	hit        bool
}

// Highlight returns an HTML snippet of text around the first word matching
// terms (as returned by [Query]), with every matching word wrapped in
// <mark>…</mark> and everything else HTML-escaped. A word matches when some
// term is a prefix of its folded form or of one of its compound parts, exactly
// as in [Document]. White space runs become single spaces. If the text is
// longer than maxLen runes, the snippet shows at most maxLen runes, starting a
// little before the first match, cut at word boundaries and marked with "…"
// where text was left out. maxLen <= 0 means no limit. Without a match the
// snippet starts at the beginning of the text.
func Highlight(text string, terms []string, maxLen int) string {
	rs := []rune(strings.Join(strings.Fields(text), " "))
	var spans []span
	first := -1
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isWordRune(rs[j]) {
			j++
		}
		hit := wordMatches(string(rs[i:j]), terms)
		if hit && first < 0 {
			first = len(spans)
		}
		spans = append(spans, span{i, j, hit})
		i = j
	}

	lo, hi := 0, len(rs)
	if maxLen > 0 && len(rs) > maxLen {
		anchor := 0
		if first >= 0 {
			anchor = spans[first].start
		}
		lo = max(0, anchor-maxLen/4) // some context before the match
		if first >= 0 {
			lo = max(lo, spans[first].end-maxLen) // but the whole match if it fits
		}
		lo = min(lo, anchor)
		hi = min(len(rs), lo+maxLen)
		lo = max(0, hi-maxLen)
		if lo > 0 { // start at a word, skipping a cut word and punctuation
			for _, sp := range spans {
				if sp.start >= lo {
					lo = sp.start
					break
				}
			}
		}
		if hi < len(rs) { // end after a whole word unless the match is cut
			cut := lo
			for _, sp := range spans {
				if sp.end <= hi {
					cut = max(cut, sp.end)
				}
			}
			if cut > anchor {
				hi = cut
			}
		}
	}

	var b strings.Builder
	if lo > 0 {
		b.WriteString("…")
	}
	pos := lo
	for _, sp := range spans {
		if sp.end <= lo || sp.start >= hi {
			continue
		}
		s, e := max(sp.start, lo), min(sp.end, hi)
		b.WriteString(html.EscapeString(string(rs[pos:s])))
		if sp.hit {
			b.WriteString("<mark>")
		}
		b.WriteString(html.EscapeString(string(rs[s:e])))
		if sp.hit {
			b.WriteString("</mark>")
		}
		pos = e
	}
	b.WriteString(html.EscapeString(string(rs[pos:hi])))
	if hi < len(rs) {
		b.WriteString("…")
	}
	return b.String()
}
