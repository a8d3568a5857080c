package region

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// index is what Find needs to start from the few regions a query can select instead
// of scanning the register: the words of the folded names for word-prefix searches,
// the regions in ARS and AGS order for key prefixes (a prefix is a range found by
// binary search), the regions of each level and kind, and ranks that order regions
// by name, folded name and key with integer comparisons. It is built once, when the
// register is parsed (BenchmarkLoadEmbedded reports its time and the heap it holds).
type index struct {
	all     []int32 // 0 … n-1
	words   []wordRef
	ars     sortedKeys
	ags     sortedKeys
	byLevel map[string][]int32
	byKind  map[string][]int32
	state   map[string]string // ISO 3166-2 code → the state's key
	// Dense ranks (equal values, equal ranks): name by (folded, Name), fold by folded;
	// key ranks the keys (unique).
	nameRank, foldRank, keyRank []int32
	// base is the folded name before a designation such as ", Stadt" (a prefix of
	// folded, sharing its bytes): a search equal to it ranks first.
	base []string
}

// wordRef is one word of a region's folded name: folded[off:off+n].
type wordRef struct{ i, off, n int32 }

// sortedKeys are regions in the order of a fixed-width key (ARS: 12 digits, AGS: 8),
// with their keys concatenated in that order: the key of order[j] is
// text[j*width:(j+1)*width].
type sortedKeys struct {
	order []int32
	text  string
	width int
}

// prefix returns the regions whose key begins with p (nil if p is longer than the key).
func (s sortedKeys) prefix(p string) []int32 {
	if len(p) > s.width {
		return nil
	}
	head := func(j int) string { return s.text[j*s.width : j*s.width+len(p)] }
	lo := sort.Search(len(s.order), func(j int) bool { return head(j) >= p })
	hi := lo + sort.Search(len(s.order)-lo, func(j int) bool { return head(lo+j) > p })
	return s.order[lo:hi]
}

func newSortedKeys(reg *Register, width int, of func(Region) string) sortedKeys {
	s := sortedKeys{width: width}
	keys := make([]string, len(reg.regions))
	for i, x := range reg.regions {
		if keys[i] = of(x); keys[i] != "" {
			s.order = append(s.order, int32(i))
		}
	}
	slices.SortFunc(s.order, func(a, b int32) int {
		return cmp.Or(strings.Compare(keys[a], keys[b]), strings.Compare(reg.regions[a].Key, reg.regions[b].Key))
	})
	s.order = slices.Clip(s.order)
	var b strings.Builder
	b.Grow(len(s.order) * width)
	for _, i := range s.order {
		b.WriteString(keys[i])
	}
	s.text = b.String()
	return s
}

// word is the text of w.
func (reg *Register) word(w wordRef) string {
	return reg.regions[w.i].folded[w.off : w.off+w.n]
}

// wordsWithPrefix are the words that begin with p.
func (reg *Register) wordsWithPrefix(p string) []wordRef {
	ws := reg.ix.words
	head := func(j int) string {
		w := reg.word(ws[j])
		return w[:min(len(w), len(p))]
	}
	lo := sort.Search(len(ws), func(j int) bool { return head(j) >= p })
	hi := lo + sort.Search(len(ws)-lo, func(j int) bool { return head(lo+j) > p })
	return ws[lo:hi]
}

// buildIndex builds reg.ix from reg.regions.
func (reg *Register) buildIndex() {
	n := len(reg.regions)
	ix := index{all: make([]int32, n), byLevel: map[string][]int32{}, byKind: map[string][]int32{}, state: map[string]string{},
		nameRank: make([]int32, n), foldRank: make([]int32, n), keyRank: make([]int32, n), base: make([]string, n)}
	words := 0
	for i := range reg.regions {
		words += strings.Count(reg.regions[i].folded, " ") + 1
	}
	ix.words = make([]wordRef, 0, words)
	for i := range reg.regions {
		x := &reg.regions[i]
		ix.all[i] = int32(i)
		ix.byLevel[x.Level] = append(ix.byLevel[x.Level], int32(i))
		ix.byKind[x.Kind] = append(ix.byKind[x.Kind], int32(i))
		if x.Level == State {
			ix.state[x.State()] = x.Key
		}
		for off := 0; off < len(x.folded); {
			end := strings.IndexByte(x.folded[off:], ' ')
			if end < 0 {
				end = len(x.folded)
			} else {
				end += off
			}
			if end > off {
				ix.words = append(ix.words, wordRef{int32(i), int32(off), int32(end - off)})
			}
			off = end + 1
		}
		base, _, _ := strings.Cut(x.Name, ",")
		ix.base[i] = textsearch.Fold(base)
		if strings.HasPrefix(x.folded, ix.base[i]) {
			ix.base[i] = x.folded[:len(ix.base[i])] // share the bytes
		}
	}
	for _, m := range []map[string][]int32{ix.byLevel, ix.byKind} {
		for k, l := range m {
			m[k] = slices.Clone(l) // without the spare capacity of append
		}
	}
	reg.ix = ix // word needs reg.ix.words
	slices.SortFunc(reg.ix.words, func(a, b wordRef) int {
		return cmp.Or(strings.Compare(reg.word(a), reg.word(b)), cmp.Compare(a.i, b.i))
	})
	reg.ix.ars = newSortedKeys(reg, 12, Region.ARS)
	reg.ix.ags = newSortedKeys(reg, 8, Region.AGS)
	// One sort by (folded, Name) ranks both: "folded\x00Name", as Find's cursor
	// writes it, orders so because folded holds no byte below the blank.
	order := slices.Clone(reg.ix.all)
	slices.SortFunc(order, func(a, b int32) int {
		x, y := &reg.regions[a], &reg.regions[b]
		return cmp.Or(strings.Compare(x.folded, y.folded), strings.Compare(x.Name, y.Name))
	})
	var name, fold int32
	for j, i := range order {
		if j > 0 {
			x, y := &reg.regions[order[j-1]], &reg.regions[i]
			if x.folded != y.folded {
				name, fold = name+1, fold+1
			} else if x.Name != y.Name {
				name++
			}
		}
		reg.ix.nameRank[i], reg.ix.foldRank[i] = name, fold
	}
	// Keys sort as their ARS do (a key's ARS is the key and zeros; of two regions
	// with one ARS the enclosing one has the shorter key).
	for j, i := range reg.ix.ars.order {
		reg.ix.keyRank[i] = int32(j)
	}
}

// candidates returns the regions Find must check for m: those of the most selective
// filter the index serves (all regions if none), and whether a region may appear more
// than once in them.
func (reg *Register) candidates(m matcher) (lists [][]int32, words []wordRef, dups bool) {
	ix := &reg.ix
	best := len(ix.all) + 1
	lists = [][]int32{ix.all}
	consider := func(ls [][]int32) {
		size := 0
		for _, l := range ls {
			size += len(l)
		}
		if size < best {
			best, lists, words, dups = size, ls, nil, len(ls) > 1
		}
	}
	union := func(vals []string, of func(string) []int32) {
		if len(vals) == 0 {
			return
		}
		ls := make([][]int32, 0, len(vals))
		for _, v := range vals {
			ls = append(ls, of(v))
		}
		consider(ls)
	}
	q := m.q
	for _, w := range m.words {
		if ws := reg.wordsWithPrefix(w); len(ws) < best {
			best, lists, words, dups = len(ws), nil, ws, true
		}
	}
	if m.digits != "" {
		consider([][]int32{ix.ars.prefix(m.digits), ix.ags.prefix(m.digits)})
	}
	union(q.ARS, ix.ars.prefix)
	union(q.AGS, ix.ags.prefix)
	union(q.States, func(s string) []int32 {
		if key, ok := ix.state[s]; ok {
			return ix.ars.prefix(key)
		}
		return nil
	})
	if q.Parent != "" {
		consider([][]int32{ix.ars.prefix(q.Parent)})
	}
	union(q.Levels, func(l string) []int32 { return ix.byLevel[l] })
	union(q.Kinds, func(k string) []int32 { return ix.byKind[k] })
	return lists, words, dups
}
