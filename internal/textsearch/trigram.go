package textsearch

import "slices"

// Thresholds for typo-tolerant name matching; they equal pg_trgm's defaults
// (pg_trgm.similarity_threshold and pg_trgm.word_similarity_threshold), so
// the % and <% operators on PostgreSQL agree with the Go comparisons
// Similarity(a, b) >= SimilarityThreshold and
// WordSimilarity(q, name) >= WordSimilarityThreshold.
// "citek" vs "citeq" scores 0.5 and 0.67 respectively; "lwl" vs "citeq" 0.
const (
	// SimilarityThreshold is the minimum Similarity of a typo match.
	SimilarityThreshold = 0.3
	// WordSimilarityThreshold is the minimum WordSimilarity of a typo match.
	WordSimilarityThreshold = 0.6
)

// trigramSeq returns the trigrams of the folded text in order, with
// repetitions. Like pg_trgm, each word is padded with two spaces in front
// and one behind.
func trigramSeq(s string) []string {
	var out []string
	for _, w := range Tokens(s) {
		p := "  " + w + " "
		for i := 0; i+3 <= len(p); i++ {
			out = append(out, p[i:i+3])
		}
	}
	return out
}

func trigramSet(s string) map[string]struct{} {
	set := make(map[string]struct{})
	for _, t := range trigramSeq(s) {
		set[t] = struct{}{}
	}
	return set
}

// Trigrams returns the distinct trigrams of Fold(s), sorted, as pg_trgm's
// show_trgm does for the folded text: "citeq" → ["  c", " ci", "cit",
// "eq ", "ite", "teq"].
func Trigrams(s string) []string {
	set := trigramSet(s)
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// jaccard is pg_trgm's CALCSML, computed in single precision like pg_trgm.
func jaccard(common, n1, n2 int) float32 {
	return float32(common) / float32(n1+n2-common)
}

// Similarity returns the trigram similarity of a and b, |common| / |union|
// of their trigram sets, as pg_trgm's similarity() does on Fold(a) and
// Fold(b). It is 0 if either has no trigrams.
func Similarity(a, b string) float64 {
	sa, sb := trigramSet(a), trigramSet(b)
	if len(sa) == 0 || len(sb) == 0 {
		return 0
	}
	common := 0
	for t := range sa {
		if _, ok := sb[t]; ok {
			common++
		}
	}
	return float64(jaccard(common, len(sa), len(sb)))
}

// WordSimilarity returns how well query matches some part of text, like
// pg_trgm's word_similarity(query, text) on folded input: the similarity
// between the trigram set of query and the best contiguous extent of the
// ordered trigrams of text. It uses pg_trgm's greedy search for that extent
// (which only moves the extent's lower bound forward), so the numbers agree
// with PostgreSQL. Typically text is a name and query what the user typed.
func WordSimilarity(query, text string) float64 {
	q := trigramSet(query)
	if len(q) == 0 {
		return 0
	}
	seq := trigramSeq(text)
	last := make(map[string]int) // last position of each trigram in [lo, i]
	lo, unique, common := -1, 0, 0
	var best float32
	for i, t := range seq {
		_, found := q[t]
		if lo < 0 {
			if !found {
				continue
			}
			lo = i
		}
		if _, in := last[t]; !in {
			unique++
			if found {
				common++
			}
		}
		last[t] = i
		if !found {
			continue
		}
		// The extent [lo, i] ends in a shared trigram. Moving lo forward
		// may raise the similarity; keep the best lower bound.
		cur := jaccard(common, len(q), unique)
		newLo, u, c := lo, unique, common
		for k := lo; k <= i; k++ {
			if s := jaccard(c, len(q), u); s > cur {
				cur, newLo, unique, common = s, k, u, c
			}
			if last[seq[k]] == k { // seq[k] leaves the extent
				u--
				if _, ok := q[seq[k]]; ok {
					c--
				}
			}
		}
		best = max(best, cur)
		for k := lo; k < newLo; k++ {
			if last[seq[k]] == k {
				delete(last, seq[k])
			}
		}
		lo = newLo
	}
	return float64(best)
}
