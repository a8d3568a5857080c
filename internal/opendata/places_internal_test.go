package opendata

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

func TestPlaceOfKey(t *testing.T) {
	geo := "http://dcat-ap.de/def/politicalGeocoding/"
	for _, tc := range []struct {
		k     coop.PartnerKey
		iri   string
		level level
	}{
		{coop.PartnerKey{Type: "municipality", ARS: "055150000000"}, geo + "regionalKey/055150000000", levelMunicipality}, // Münster, a city that is its own district
		{coop.PartnerKey{Type: "municipality", ARS: "055660012012"}, geo + "regionalKey/055660012012", levelMunicipality}, // Greven
		{coop.PartnerKey{Type: "municipality", AGS: "05315000"}, geo + "municipalityKey/05315000", levelMunicipality},     // Köln, AGS only
		{coop.PartnerKey{Type: "district", ARS: "055660000000"}, geo + "districtKey/05566", levelDistrict},                // Kreis Steinfurt
		{coop.PartnerKey{Type: "district", AGS: "05566000"}, geo + "districtKey/05566", levelDistrict},
		{coop.PartnerKey{Type: "state_authority", ARS: "050000000000"}, geo + "stateKey/05", levelState},
		{coop.PartnerKey{Type: "state_authority", ARS: "055000000000"}, geo + "governmentDistrictKey/055", levelState},
		{coop.PartnerKey{Type: "department", ARS: "055150000000", AGS: "05515000"}, geo + "districtKey/05515", levelDistrict},
	} {
		p := places{}
		p.add(tc.k)
		iris, levelURI := p.spatial()
		if !slices.Equal(iris, []string{tc.iri}) || levelURI != levelURIs[tc.level] {
			t.Errorf("%+v: %v %s, want %s %s", tc.k, iris, levelURI, tc.iri, levelURIs[tc.level])
		}
	}
	p := places{}
	p.add(coop.PartnerKey{Type: "company"})
	if iris, level := p.spatial(); iris != nil || level != "" {
		t.Errorf("no key: %v %q", iris, level)
	}
}

// Beyond MaxPlaces the places roll up to their districts, then to their states.
func TestPlacesRollUp(t *testing.T) {
	geo := "http://dcat-ap.de/def/politicalGeocoding/"
	municipalities := func(n, districts int) places {
		p := places{}
		for i := range n {
			d := i % districts
			p.add(coop.PartnerKey{Type: "municipality", ARS: fmt.Sprintf("%02d%03d%07d", 1+d/90, 101+d%90, i+1)})
		}
		return p
	}
	iris, level := municipalities(MaxPlaces, 3).spatial()
	if len(iris) != MaxPlaces || level != geo+"Level/municipality" {
		t.Errorf("%d municipalities: %d places at %s", MaxPlaces, len(iris), level)
	}
	iris, level = municipalities(MaxPlaces+1, 3).spatial()
	if !slices.Equal(iris, []string{geo + "districtKey/01101", geo + "districtKey/01102", geo + "districtKey/01103"}) ||
		level != geo+"Level/administrativeDistrict" {
		t.Errorf("%d municipalities in 3 districts: %v at %s", MaxPlaces+1, iris, level)
	}
	iris, level = municipalities(400, 200).spatial()
	if !slices.Equal(iris, []string{geo + "stateKey/01", geo + "stateKey/02", geo + "stateKey/03"}) || level != geo+"Level/state" {
		t.Errorf("400 municipalities in 200 districts: %v at %s", iris, level)
	}
}
