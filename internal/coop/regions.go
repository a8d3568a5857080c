package coop

import "strings"

// The territorial units of the official register (Destatis Gemeindeverzeichnis) as the
// directory names them; internal/region reads the register itself.

// RegionLevels are the levels of the register, from the state down.
var RegionLevels = Enum{
	{"state", "Land", "State"},
	{"government_region", "Regierungsbezirk", "Government region"},
	{"region", "Region", "Region"},
	{"district", "Kreis", "District"},
	{"association", "Gemeindeverband", "Municipal association"},
	{"municipality", "Gemeinde", "Municipality"},
}

// RegionKinds are the kinds of territorial unit (the register's "Textkennzeichen").
var RegionKinds = Enum{
	{"state", "Land", "State"},
	{"government_region", "Regierungsbezirk", "Government region"},
	{"region", "Region", "Region"},
	{"independent_city", "Kreisfreie Stadt", "Independent city"},
	{"urban_district", "Stadtkreis", "Urban district (Stadtkreis)"},
	{"district", "Kreis", "District (Kreis)"},
	{"rural_district", "Landkreis", "Rural district (Landkreis)"},
	{"regional_association", "Regionalverband", "Regional association (Regionalverband)"},
	{"unassociated_municipality", "Verbandsfreie Gemeinde", "Municipality outside an association"},
	{"amt", "Amt", "Amt (association of municipalities)"},
	{"joint_municipality", "Samtgemeinde", "Joint municipality (Samtgemeinde)"},
	{"collective_municipality", "Verbandsgemeinde", "Collective municipality (Verbandsgemeinde)"},
	{"administrative_community", "Verwaltungsgemeinschaft", "Administrative community"},
	{"parish_association", "Kirchspielslandschaft", "Parish association"},
	{"administrative_association", "Verwaltungsverband", "Administrative association"},
	{"administering_municipality", "Erfüllende Gemeinde", "Municipality administering for others"},
	{"market", "Markt", "Market town"},
	{"town", "Stadt", "Town"},
	{"municipality", "Kreisangehörige Gemeinde", "Municipality within a district"},
	{"unincorporated_inhabited", "Gemeindefreies Gebiet (bewohnt)", "Unincorporated area (inhabited)"},
	{"unincorporated_uninhabited", "Gemeindefreies Gebiet (unbewohnt)", "Unincorporated area (uninhabited)"},
	{"major_district_town", "Große Kreisstadt", "Major district town"},
}

// RegionStatuses say how a partner's keys stand in the register in force: current
// (every key found), outdated (a key or a served region is no longer in it, e.g. after
// a merger of municipalities), missing (a municipality, district or state without a
// key, from before the register was checked).
var RegionStatuses = Enum{
	{"current", "Aktuell", "Current"},
	{"outdated", "Veraltet", "Outdated"},
	{"missing", "Schlüssel fehlt", "Key missing"},
}

// Region statuses (RegionStatuses).
const (
	RegionStatusCurrent  = "current"
	RegionStatusOutdated = "outdated"
	RegionStatusMissing  = "missing"
)

// TerritorialLevel is the register level a partner of type typ is, or "" if it is no
// territorial unit itself (an IT provider, an association of them, a department).
func TerritorialLevel(typ string) string {
	switch typ {
	case "municipality", "district", "state":
		return typ
	}
	return ""
}

// regionKeyLens are the lengths of a region key's significant digits (state,
// government region, region, district, association, municipality).
var regionKeyLens = map[int]bool{2: true, 3: true, 4: true, 5: true, 9: true, 12: true}

// RegionARS turns a region key as a client writes it (a 12-digit ARS or a key's
// significant digits: 05, 055, 05515) into the 12-digit ARS.
func RegionARS(s string) (string, bool) {
	if !regionKeyLens[len(s)] || strings.Trim(s, "0123456789") != "" {
		return "", false
	}
	return s + strings.Repeat("0", 12-len(s)), true
}

// Label returns the German and English label of code ("", "" if unknown).
func (e Enum) Label(code string) (de, en string) {
	for _, l := range e {
		if l.Code == code {
			return l.LabelDE, l.LabelEN
		}
	}
	return "", ""
}
