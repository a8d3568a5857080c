// Package region is the official register of German territorial units (Destatis
// Gemeindeverzeichnis) in memory: states, government regions, regions, districts,
// municipal associations and municipalities with their keys (ARS, AGS), names, kinds,
// population and area. It parses the register's CSV extract, resolves keys, lists and
// searches regions, and counts the inhabitants of a set of regions without counting a
// region inside another one twice. A Register never changes once parsed.
package region

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/textsearch"
)

// Levels of the register, from the state down (coop.RegionLevels has their labels).
const (
	State            = "state"
	GovernmentRegion = "government_region"
	RegionLevel      = "region"
	District         = "district"
	Association      = "association"
	Municipality     = "municipality"
)

// keyLen is the number of significant digits of a level's key: a district is named by
// its first five ARS digits, the rest of its 12-digit ARS are zeros.
var keyLen = map[string]int{State: 2, GovernmentRegion: 3, RegionLevel: 4, District: 5, Association: 9, Municipality: 12}

// keyLens are the key lengths from the deepest level up.
var keyLens = []int{12, 9, 5, 4, 3, 2}

// levelOfLen is keyLen inverted.
var levelOfLen = map[int]string{2: State, 3: GovernmentRegion, 4: RegionLevel, 5: District, 9: Association, 12: Municipality}

// Source names a register: where it comes from, the territorial status it describes
// (AsOf), the date of its population figures, its licence and the attribution the
// licence requires.
type Source struct {
	Name           string
	AsOf           string // territorial status, YYYY-MM-DD
	PopulationAsOf string // YYYY-MM-DD
	Licence        string
	LicenceURL     string
	Attribution    string
}

// Region is one territorial unit.
type Region struct {
	// Key is the ARS's significant digits: 2 (state), 3 (government region), 4
	// (region), 5 (district), 9 (association) or 12 (municipality). It is unique.
	Key   string
	Name  string // official name, e.g. "Münster, Stadt"
	Level string
	Kind  string // a coop.RegionKinds code
	// Population is the municipality's, or the sum of the municipalities within.
	Population int64
	// AreaHa is the area in hectares (hundredths of km²), summed like Population.
	AreaHa     int64
	PostalCode string  // of the administrative seat (municipalities only)
	Latitude   float64 // of the seat (municipalities only; 0 if not given)
	Longitude  float64
	parent     int32 // index of the enclosing region, -1 for a state
	children   int32
	folded     string // textsearch.Fold(Name)
}

// ARS is the 12-digit Amtlicher Regionalschlüssel: the key padded with zeros.
func (r Region) ARS() string { return r.Key + strings.Repeat("0", 12-len(r.Key)) }

// AGS is the 8-digit Amtlicher Gemeindeschlüssel (land, government region, district,
// municipality; the parts below the level are zeros); "" for regions and municipal
// associations, which have none.
func (r Region) AGS() string {
	switch r.Level {
	case Municipality:
		return r.Key[:5] + r.Key[9:]
	case RegionLevel, Association:
		return ""
	}
	return r.Key + strings.Repeat("0", 8-len(r.Key))
}

// State is the ISO 3166-2 code of the region's federal state, e.g. "DE-NW".
func (r Region) State() string { return coop.StateByAGS(r.Key) }

// AreaKm2 is the area in km² (two fraction digits).
func (r Region) AreaKm2() float64 { return float64(r.AreaHa) / 100 }

// Register is one extract of the Gemeindeverzeichnis in memory, indexed by key.
type Register struct {
	Source Source
	// Digest is the SHA-256 (hex) of the extract's CSV as read (Digest of its bytes):
	// it names the register's figures, for ETags of answers that show them.
	Digest  string
	regions []Region
	byKey   map[string]int32
	byAGS   map[string][]int32
	ix      index
}

// Len is the number of regions.
func (reg *Register) Len() int { return len(reg.regions) }

// columns the register's CSV must have (others are ignored).
var columns = []string{"satzart", "textkennzeichen", "land", "rb", "kreis", "vb", "gemeinde",
	"gemeindename", "flaeche", "bevoelkerung", "postleitzahl", "laengengrad", "breitengrad"}

// kinds maps satzart and textkennzeichen to a coop.RegionKinds code.
var kinds = map[string]string{
	"10": "state", "20": "government_region", "30": "region",
	"40/41": "independent_city", "40/42": "urban_district", "40/43": "district", "40/44": "rural_district",
	"40/45": "regional_association",
	"50/50": "unassociated_municipality", "50/51": "amt", "50/52": "joint_municipality",
	"50/53": "collective_municipality", "50/54": "administrative_community", "50/55": "parish_association",
	"50/56": "administrative_association", "50/58": "administering_municipality",
	"60/60": "market", "60/61": "independent_city", "60/62": "urban_district", "60/63": "town",
	"60/64": "municipality", "60/65": "unincorporated_inhabited", "60/66": "unincorporated_uninhabited",
	"60/67": "major_district_town",
}

// MaxRows bounds an extract (the register has some 16,000 rows).
const MaxRows = 100_000

// Parse reads an extract of the Gemeindeverzeichnis as CSV (UTF-8, optionally with a
// BOM, comma-separated, a header row naming at least the columns satzart,
// textkennzeichen, land, rb, kreis, vb, gemeinde, gemeindename, flaeche, bevoelkerung,
// postleitzahl, laengengrad, breitengrad, in any order). Numbers may be grouped by
// blanks ("315 293"); coordinates have a decimal comma. Every row must be well-formed:
// an error names the first bad line. Population and area of the levels above the
// municipalities are the sums of the municipalities within.
func Parse(r io.Reader, src Source) (*Register, error) {
	sum := sha256.New()
	br := bufio.NewReader(io.TeeReader(r, sum))
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("register: header: %w", err)
	}
	at := map[string]int{}
	for i, h := range head {
		at[strings.TrimSpace(h)] = i
	}
	col := make(map[string]int, len(columns))
	for _, c := range columns {
		i, ok := at[c]
		if !ok {
			return nil, fmt.Errorf("register: column %q missing (want the columns of the Gemeindeverzeichnis extract)", c)
		}
		col[c] = i
	}
	const expect = 20_000 // the register has some 16,000 rows: no map grows while it is read
	reg := &Register{Source: src, byKey: make(map[string]int32, expect), byAGS: make(map[string][]int32, expect),
		regions: make([]Region, 0, expect)}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("register: %w", err)
		}
		if len(reg.regions) >= MaxRows {
			return nil, fmt.Errorf("register: more than %d rows", MaxRows)
		}
		get := func(c string) string {
			if i := col[c]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		x, err := parseRow(get)
		if err != nil {
			return nil, fmt.Errorf("register: line %d: %w", line, err)
		}
		if _, dup := reg.byKey[x.Key]; dup {
			return nil, fmt.Errorf("register: line %d: key %s appears twice", line, x.Key)
		}
		reg.byKey[x.Key] = int32(len(reg.regions))
		reg.regions = append(reg.regions, x)
	}
	reg.regions = slices.Clone(reg.regions) // drop the spare capacity
	if err := reg.link(); err != nil {
		return nil, err
	}
	reg.buildIndex()
	if _, err := io.Copy(io.Discard, br); err != nil { // hashes what the CSV reader left unread, if any
		return nil, fmt.Errorf("register: %w", err)
	}
	reg.Digest = hex.EncodeToString(sum.Sum(nil))
	return reg, nil
}

// parseRow reads one record through get (column name → trimmed value).
func parseRow(get func(string) string) (Region, error) {
	satz := get("satzart")
	parts := []struct {
		name string
		n    int
	}{{"land", 2}, {"rb", 1}, {"kreis", 2}, {"vb", 4}, {"gemeinde", 3}}
	take := map[string]int{"10": 1, "20": 2, "30": 3, "40": 3, "50": 4, "60": 5}[satz]
	if take == 0 {
		return Region{}, fmt.Errorf("unknown satzart %q", satz)
	}
	var key strings.Builder
	for i, p := range parts[:take] {
		v := get(p.name)
		n := p.n
		if satz == "30" && i == 2 {
			n = 1 // a region of Baden-Württemberg is named by the first digit of its districts
		}
		if len(v) != n || !digits(v) {
			return Region{}, fmt.Errorf("%s %q: want %d digits", p.name, v, n)
		}
		key.WriteString(v)
	}
	kindKey := satz
	if tk := get("textkennzeichen"); satz >= "40" {
		kindKey += "/" + tk
	}
	kind, ok := kinds[kindKey]
	if !ok {
		return Region{}, fmt.Errorf("unknown textkennzeichen %q for satzart %s", get("textkennzeichen"), satz)
	}
	name := get("gemeindename")
	if name == "" {
		return Region{}, errors.New("gemeindename empty")
	}
	x := Region{Key: key.String(), Name: strings.Clone(name), Level: levelOfLen[key.Len()], Kind: kind, parent: -1,
		folded: textsearch.Fold(name)}
	if x.Level != Municipality {
		return x, nil
	}
	var err error
	if x.Population, err = groupedInt(get("bevoelkerung")); err != nil {
		return x, fmt.Errorf("bevoelkerung: %w", err)
	}
	if x.AreaHa, err = hundredths(get("flaeche")); err != nil {
		return x, fmt.Errorf("flaeche: %w", err)
	}
	if pc := get("postleitzahl"); pc != "" {
		if len(pc) != 5 || !digits(pc) {
			return x, fmt.Errorf("postleitzahl %q: want 5 digits", pc)
		}
		x.PostalCode = strings.Clone(pc)
	}
	if x.Longitude, err = decimalComma(get("laengengrad")); err != nil {
		return x, fmt.Errorf("laengengrad: %w", err)
	}
	if x.Latitude, err = decimalComma(get("breitengrad")); err != nil {
		return x, fmt.Errorf("breitengrad: %w", err)
	}
	return x, nil
}

// link finds each region's parent (the enclosing region of the nearest level above
// that the register has) and adds population and area up to every level.
func (reg *Register) link() error {
	states := 0
	for i := range reg.regions {
		x := &reg.regions[i]
		if x.Level == State {
			states++
			continue
		}
		for _, n := range keyLens {
			if n >= len(x.Key) {
				continue
			}
			if p, ok := reg.byKey[x.Key[:n]]; ok {
				x.parent = p
				reg.regions[p].children++
				break
			}
		}
		if x.parent < 0 {
			return fmt.Errorf("register: %s %s (%s) lies in no state of the register", x.Level, x.Key, x.Name)
		}
	}
	if states == 0 {
		return errors.New("register: no state (satzart 10) found")
	}
	for i := range reg.regions {
		x := reg.regions[i]
		if x.Level != Municipality {
			continue
		}
		for p := x.parent; p >= 0; p = reg.regions[p].parent {
			reg.regions[p].Population += x.Population
			reg.regions[p].AreaHa += x.AreaHa
		}
	}
	for i, x := range reg.regions {
		if ags := x.AGS(); ags != "" {
			reg.byAGS[ags] = append(reg.byAGS[ags], int32(i))
		}
	}
	return nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// groupedInt reads a count whose digits may be grouped by blanks: "315 293".
func groupedInt(s string) (int64, error) {
	s = strings.ReplaceAll(s, " ", "")
	if s == "" {
		return 0, nil
	}
	if !digits(s) || len(s) > 12 {
		return 0, fmt.Errorf("%q is no count", s)
	}
	return strconv.ParseInt(s, 10, 64)
}

// hundredths reads a decimal with a point and at most two fraction digits as an
// integer of hundredths: "303.28" → 30328.
func hundredths(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || !digits(whole) || (frac != "" && !digits(frac)) || len(whole) > 12 {
		return 0, fmt.Errorf("%q: want a decimal with at most two fraction digits", s)
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, nil
}

// decimalComma reads "7,626804" (or with a point).
func decimalComma(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || f < -180 || f > 180 {
		return 0, fmt.Errorf("%q is no coordinate", s)
	}
	return f, nil
}
