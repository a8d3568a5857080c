package textsearch

import "strings"

// Typing errors. A query word that no document word starts with (and that is no
// part of a compound) may be mistyped: search then looks for the indexed words
// that contain it with at most MaxEdits errors — letters inserted, left out,
// replaced or swapped with their neighbour (optimal string alignment) — and
// finds what those words find. Both databases keep the vocabulary of indexed
// words; the comparison happens here, so they find the same.

// MinTypoLen is the length (bytes of the folded word) from which a query word
// may contain one typing error; from 8 bytes on it may contain two.
const MinTypoLen = 5

// MaxEdits returns how many typing errors a folded query word may contain: none
// below MinTypoLen bytes, one up to 7 bytes ("citek" finds citeq, "Hotlien"
// finds Hotline), two from 8 ("Archivirung" finds Langzeitarchivierung). Numbers
// are identifiers (AGS, ARS): never corrected.
func MaxEdits(word string) int {
	switch n := len(word); {
	case n < MinTypoLen, isNumber(word):
		return 0
	case n < 8:
		return 1
	}
	return 2
}

// Correction compares a folded query word with an indexed word. It returns the
// prefix by which a search finds what the word finds (the stem of the part of
// word that the query matches, starting where a document token starts: at the
// beginning or at a compound part), the number of typing errors between the
// two, and ok = false when the query is no part of word within
// MaxEdits(query) errors.
func Correction(query, word string) (prefix string, edits int, ok bool) {
	maxEdits := MaxEdits(query)
	if maxEdits == 0 || len(word) > MaxTokenLen {
		return "", 0, false
	}
	dist, start, end := bestPart(query, word)
	if dist > maxEdits || end-start < MinTypoLen-1 {
		return "", 0, false
	}
	p := stem(word[start:end])
	if start > 0 && len(p) > MaxPartLen {
		p = p[:MaxPartLen] // compound parts are indexed up to MaxPartLen bytes
	}
	if len(p) < MinPartLen {
		return "", 0, false
	}
	return p, dist, true
}

// bestPart finds the part word[start:end] with the fewest edits from q (an
// approximate substring match, Sellers' algorithm with adjacent swaps), where
// start is 0 or at least MinHeadLen: the starts of document tokens. Among equal
// distances it prefers the longest part.
func bestPart(q, word string) (dist, start, end int) {
	n, m := len(q), len(word)
	const inf = 1 << 20
	// d[i][j]: edits that turn q[:i] into word[s:j] for the best start s[i][j].
	d := make([][]int, n+1)
	s := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		s[i] = make([]int, m+1)
	}
	for j := 0; j <= m; j++ {
		s[0][j] = j
		if j != 0 && j < MinHeadLen {
			d[0][j] = inf
		}
	}
	for i := 1; i <= n; i++ {
		d[i][0], s[i][0] = i, 0
		for j := 1; j <= m; j++ {
			best, from := d[i-1][j]+1, s[i-1][j] // q[i-1] left out
			if v := d[i][j-1] + 1; v < best {    // word[j-1] inserted
				best, from = v, s[i][j-1]
			}
			cost := 1
			if q[i-1] == word[j-1] {
				cost = 0
			}
			if v := d[i-1][j-1] + cost; v < best || (v == best && s[i-1][j-1] < from) {
				best, from = v, s[i-1][j-1]
			}
			if i > 1 && j > 1 && q[i-1] == word[j-2] && q[i-2] == word[j-1] {
				if v := d[i-2][j-2] + 1; v < best {
					best, from = v, s[i-2][j-2]
				}
			}
			d[i][j], s[i][j] = best, from
		}
	}
	dist, end = inf, 0
	for j := 0; j <= m; j++ {
		if d[n][j] < dist || (d[n][j] == dist && j-s[n][j] > end-start) {
			dist, start, end = d[n][j], s[n][j], j
		}
	}
	return dist, start, end
}

// PartOf reports whether a document token of word starts with prefix: whether
// prefix occurs in word at its start or at a compound part (from MinHeadLen on).
func PartOf(prefix, word string) bool {
	for i := 0; i+len(prefix) <= len(word); i++ {
		if (i == 0 || i >= MinHeadLen) && strings.HasPrefix(word[i:], prefix) {
			return true
		}
	}
	return false
}
