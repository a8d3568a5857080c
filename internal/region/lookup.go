package region

import (
	"slices"
	"strconv"
	"strings"
)

// Get returns the region a key names: its significant digits (2 for a state, 3 for a
// government region, 4 for a region, 5 for a district, 9 for a municipal association)
// or a 12-digit ARS, which names the deepest region with that ARS (055150000000 is the
// municipality Münster, whose district and association have the same ARS).
func (reg *Register) Get(key string) (Region, bool) {
	if !digits(key) {
		return Region{}, false
	}
	if len(key) == 12 {
		return reg.ResolveARS(key, "")
	}
	if i, ok := reg.byKey[key]; ok {
		return reg.regions[i], true
	}
	return Region{}, false
}

// ResolveARS returns the region of a 12-digit ARS at level, or with level "" the
// deepest region with that ARS.
func (reg *Register) ResolveARS(ars, level string) (Region, bool) {
	if len(ars) != 12 || !digits(ars) {
		return Region{}, false
	}
	for _, n := range keyLens {
		if level != "" && levelOfLen[n] != level {
			continue
		}
		if strings.Trim(ars[n:], "0") != "" {
			continue
		}
		if i, ok := reg.byKey[ars[:n]]; ok {
			return reg.regions[i], true
		}
	}
	return Region{}, false
}

// ResolveAGS returns the region of an 8-digit AGS at level, or with level "" the
// deepest region with that AGS (05515000 is the municipality Münster; its district
// has the same AGS).
func (reg *Register) ResolveAGS(ags, level string) (Region, bool) {
	best := int32(-1)
	for _, i := range reg.byAGS[ags] {
		x := reg.regions[i]
		if level != "" && x.Level != level {
			continue
		}
		if best < 0 || len(x.Key) > len(reg.regions[best].Key) {
			best = i
		}
	}
	if best < 0 {
		return Region{}, false
	}
	return reg.regions[best], true
}

// Parents returns the regions enclosing x, nearest first, up to its state.
func (reg *Register) Parents(x Region) []Region {
	var out []Region
	for p := x.parent; p >= 0; p = reg.regions[p].parent {
		out = append(out, reg.regions[p])
	}
	return out
}

// ChildCount is the number of regions whose nearest enclosing region is x.
func (reg *Register) ChildCount(x Region) int { return int(x.children) }

// Nearest returns up to n regions of level ("" for any) whose key of the same kind
// (ARS for 12 digits, AGS for 8) is most like key: the longest common prefix first,
// then the numerically closest. It names the candidates of an unknown key.
func (reg *Register) Nearest(key, level string, n int) []Region {
	if !digits(key) || (len(key) != 8 && len(key) != 12) {
		return nil
	}
	of := Region.ARS
	if len(key) == 8 {
		of = Region.AGS
	}
	want, _ := strconv.ParseInt(key, 10, 64)
	type cand struct {
		i      int
		common int
		dist   int64
	}
	var list []cand
	for i, x := range reg.regions {
		if level != "" && x.Level != level {
			continue
		}
		k := of(x)
		if k == "" {
			continue
		}
		c := 0
		for c < len(k) && k[c] == key[c] {
			c++
		}
		v, _ := strconv.ParseInt(k, 10, 64)
		d := v - want
		if d < 0 {
			d = -d
		}
		list = append(list, cand{i, c, d})
	}
	slices.SortFunc(list, func(a, b cand) int {
		if a.common != b.common {
			return b.common - a.common
		}
		if a.dist != b.dist {
			if a.dist < b.dist {
				return -1
			}
			return 1
		}
		return a.i - b.i
	})
	out := make([]Region, 0, n)
	for _, c := range list[:min(n, len(list))] {
		out = append(out, reg.regions[c.i])
	}
	return out
}

// Outermost returns the keys of keys that lie in no other of them (in their order,
// duplicates once): a district and one of its municipalities leave the district, a
// government region and a state in it the state.
func Outermost(keys []string) []string {
	set := make(map[string]bool, len(keys))
	for _, k := range keys {
		set[k] = true
	}
	out := make([]string, 0, len(set))
	taken := make(map[string]bool, len(set))
	for _, k := range keys {
		if taken[k] {
			continue
		}
		taken[k] = true
		inner := false
		for _, n := range keyLens {
			if n < len(k) && set[k[:n]] {
				inner = true
				break
			}
		}
		if !inner {
			out = append(out, k)
		}
	}
	return out
}

// LevelOfKey is the level a key of that many significant digits names ("" if none).
func LevelOfKey(key string) string { return levelOfLen[len(key)] }

// NormalizeKey turns a region key as a client may write it (its significant digits or
// a 12-digit ARS) into the 12-digit ARS; ok is false for anything else.
func NormalizeKey(s string) (string, bool) {
	if !digits(s) || levelOfLen[len(s)] == "" {
		return "", false
	}
	return s + strings.Repeat("0", 12-len(s)), true
}

// PartnerName is how the directory names a partner that is the region itself:
// "Münster, Stadt" → "Stadt Münster", "Dithmarschen" (Kreis) → "Kreis Dithmarschen",
// "Tüßling, M" → "Markt Tüßling", "Bayern" → "Freistaat Bayern".
func PartnerName(x Region) string {
	name, suffix, ok := strings.Cut(x.Name, ", ")
	if ok {
		switch suffix {
		case "M":
			suffix = "Markt"
		case "St":
			suffix = "Stadt"
		case "GKSt":
			suffix = "Große Kreisstadt"
		}
		if strings.Contains(suffix, "gemfr") || strings.Contains(suffix, ",") {
			return x.Name
		}
		return suffix + " " + name
	}
	switch x.Kind {
	case "district":
		return "Kreis " + x.Name
	case "rural_district":
		if !strings.HasPrefix(x.Name, "Region ") {
			return "Landkreis " + x.Name
		}
	case "state":
		switch x.Key {
		case "09", "14", "16":
			return "Freistaat " + x.Name
		case "02", "04", "11":
			return x.Name
		}
		return "Land " + x.Name
	}
	return x.Name
}

// Slug makes a slug of a German name: "Stadt Münster" → "stadt-muenster".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		var s string
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			s = string(r)
		case r == 'ä':
			s = "ae"
		case r == 'ö':
			s = "oe"
		case r == 'ü':
			s = "ue"
		case r == 'ß':
			s = "ss"
		case strings.ContainsRune("àáâ", r):
			s = "a"
		case strings.ContainsRune("èéêë", r):
			s = "e"
		case strings.ContainsRune("ìíîï", r):
			s = "i"
		case strings.ContainsRune("òóô", r):
			s = "o"
		case strings.ContainsRune("ùúû", r):
			s = "u"
		}
		if s == "" {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(s)
	}
	out := b.String()
	if len(out) > 100 {
		out = strings.TrimRight(out[:100], "-")
	}
	return out
}
