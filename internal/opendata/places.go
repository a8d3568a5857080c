package opendata

import (
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The places of a dataset go into dct:spatial as IRIs of the DCAT-AP.de political
// geocoding lists, one list per kind of official key, and dcatde:politicalGeocodingLevelURI
// names the level of the largest unit among them.

// level is a level of the political geocoding, from fine to coarse.
type level int

const (
	levelMunicipality level = iota
	levelDistrict
	levelState
)

// levelURIs are the levels' IRIs in the DCAT-AP.de list of geocoding levels. A
// government region (Regierungsbezirk) has no level of its own there: it counts as its
// state's.
var levelURIs = map[level]string{
	levelMunicipality: ns("geo", "Level/municipality"),
	levelDistrict:     ns("geo", "Level/administrativeDistrict"),
	levelState:        ns("geo", "Level/state"),
}

// MaxPlaces bounds the places one dataset names: beyond it they are rolled up to
// districts, then to states (a list of thousands of municipalities helps no portal).
const MaxPlaces = 100

// key is one official key: an Amtlicher Regionalschlüssel (12 digits) or, for partners
// without one, an Amtlicher Gemeindeschlüssel (8 digits). The digits alone cannot tell
// a district (Kreis Steinfurt, 05566…) from a city that is a district of its own
// (Münster, 05515…); a municipality's key is marked as one.
type key struct {
	code         string
	municipality bool
}

// place returns the key's IRI and level.
func (k key) place() (string, level) {
	s := k.code
	zero := func(from int) bool { return strings.Trim(s[from:], "0") == "" }
	switch {
	case k.municipality && len(s) == 12:
		return ns("geo", "regionalKey/"+s), levelMunicipality
	case k.municipality:
		return ns("geo", "municipalityKey/"+s), levelMunicipality
	case zero(2):
		return ns("geo", "stateKey/"+s[:2]), levelState
	case len(s) == 12 && zero(3):
		return ns("geo", "governmentDistrictKey/"+s[:3]), levelState
	case len(s) == 8 && zero(3):
		return ns("geo", "governmentDistrictKey/"+s[:3]), levelState
	case zero(5):
		return ns("geo", "districtKey/"+s[:5]), levelDistrict
	case len(s) == 12:
		return ns("geo", "regionalKey/"+s), levelMunicipality
	default:
		return ns("geo", "municipalityKey/"+s), levelMunicipality
	}
}

// up returns the key of the unit one level coarser that contains k (itself at the
// state level).
func (k key) up() key {
	s := k.code
	if _, l := k.place(); l == levelMunicipality {
		return key{code: s[:5] + strings.Repeat("0", len(s)-5)}
	}
	return key{code: s[:2] + strings.Repeat("0", len(s)-2)}
}

// places collects the distinct official keys of a dataset.
type places map[key]struct{}

// add records a partner's key: its ARS, else its AGS; partners without either (an IT
// company, a regional association) have no place.
func (p places) add(k coop.PartnerKey) {
	municipality := k.Type == "municipality"
	switch {
	case len(k.ARS) == 12:
		p[key{k.ARS, municipality}] = struct{}{}
	case len(k.AGS) == 8:
		p[key{k.AGS, municipality}] = struct{}{}
	}
}

// spatial returns the dataset's dct:spatial IRIs (at most MaxPlaces, sorted) and its
// geocoding level's IRI ("" without places).
func (p places) spatial() ([]string, string) {
	keys := make(map[key]struct{}, len(p))
	for k := range p {
		keys[k] = struct{}{}
	}
	for range 2 {
		if len(iris(keys)) <= MaxPlaces {
			break
		}
		coarser := map[key]struct{}{}
		for k := range keys {
			coarser[k.up()] = struct{}{}
		}
		keys = coarser
	}
	out := iris(keys)
	if len(out) == 0 {
		return nil, ""
	}
	top := levelMunicipality
	for k := range keys {
		_, l := k.place()
		top = max(top, l)
	}
	return out, levelURIs[top]
}

// iris are the distinct place IRIs of keys, sorted (an ARS and the AGS of the same
// municipality are two keys but may name two places; both are kept).
func iris(keys map[key]struct{}) []string {
	seen := map[string]struct{}{}
	for k := range keys {
		iri, _ := k.place()
		seen[iri] = struct{}{}
	}
	out := make([]string, 0, len(seen))
	for iri := range seen {
		out = append(out, iri)
	}
	slices.Sort(out)
	return out
}
