package httpapi

import (
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

// RegionSource names the register a region comes from and the attribution its
// licence requires wherever its data is shown.
type RegionSource struct {
	// the register and its extract
	Name string `json:"name" example:"Destatis Gemeindeverzeichnis (GV-ISys), Auszug 4. Quartal 2020"`
	// territorial status the register describes
	AsOf string `json:"as_of" example:"2020-12-31" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// date of the population figures
	PopulationAsOf string `json:"population_as_of" example:"2019-12-31" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
	// licence code
	Licence string `json:"licence" example:"dl-de/by-2-0"`
	// licence text
	LicenceURL string `json:"licence_url" format:"uri" example:"https://www.govdata.de/dl-de/by-2-0"`
	// attribution to show with the data
	Attribution string `json:"attribution" example:"© Statistisches Bundesamt (Destatis), 2021, Gemeindeverzeichnis, dl-de/by-2-0"`
} // @name RegionSource

// Region is a territorial unit of the official register (Destatis Gemeindeverzeichnis).
type Region struct {
	// Amtlicher Regionalschlüssel, 12 digits (a district's or state's padded with zeros)
	ARS string `json:"ars" example:"055150000000" extensions:"x-pattern=^\\d{12}$"`
	// the ARS's significant digits: 2 state, 3 government region, 4 region, 5 district, 9 association, 12 municipality; names the region uniquely
	Key string `json:"key" example:"055150000000" extensions:"x-pattern=^(\\d{2,5}|\\d{9}|\\d{12})$"`
	// Amtlicher Gemeindeschlüssel, 8 digits; null for associations and regions, which have none
	AGS *string `json:"ags" example:"05515000" extensions:"x-nullable,x-pattern=^\\d{8}$"`
	// official name
	Name string `json:"name" example:"Münster, Stadt"`
	// level in the register
	Level string `json:"level" enums:"state,government_region,region,district,association,municipality" example:"municipality"`
	// German label of the level
	LevelLabelDE string `json:"level_label_de" example:"Gemeinde"`
	// English label of the level
	LevelLabelEN string `json:"level_label_en" example:"Municipality"`
	// kind of territorial unit (the register's Textkennzeichen)
	Kind string `json:"kind" example:"independent_city" enums:"state,government_region,region,independent_city,urban_district,district,rural_district,regional_association,unassociated_municipality,amt,joint_municipality,collective_municipality,administrative_community,parish_association,administrative_association,administering_municipality,market,town,municipality,unincorporated_inhabited,unincorporated_uninhabited,major_district_town"`
	// German label of the kind
	KindLabelDE string `json:"kind_label_de" example:"Kreisfreie Stadt"`
	// English label of the kind
	KindLabelEN string `json:"kind_label_en" example:"Independent city"`
	// federal state, ISO 3166-2
	State string `json:"state" example:"DE-NW" enums:"DE-SH,DE-HH,DE-NI,DE-HB,DE-NW,DE-HE,DE-RP,DE-BW,DE-BY,DE-SL,DE-BE,DE-BB,DE-MV,DE-SN,DE-ST,DE-TH"`
	// inhabitants (above the municipalities: the sum of those within) at the source's population_as_of
	Population int64 `json:"population" example:"315293" minimum:"0"`
	// area in km², two fraction digits
	AreaKm2 float64 `json:"area_km2" example:"303.28" minimum:"0"`
	// postcode of the administrative seat (municipalities only)
	PostalCode *string `json:"postal_code" example:"48127" extensions:"x-nullable,x-pattern=^\\d{5}$"`
	// latitude of the administrative seat (municipalities only)
	Latitude *float64 `json:"latitude" example:"51.962" extensions:"x-nullable"`
	// longitude of the administrative seat (municipalities only)
	Longitude *float64 `json:"longitude" example:"7.626" extensions:"x-nullable"`
	// path of the region
	Href string `json:"href" example:"/api/v1/regions/055150000000"`
} // @name Region

// RegionRef is a brief reference to a region.
type RegionRef struct {
	// Amtlicher Regionalschlüssel, 12 digits
	ARS string `json:"ars" example:"055150000000"`
	// the ARS's significant digits
	Key string `json:"key" example:"05515"`
	// official name
	Name string `json:"name" example:"Münster, Stadt"`
	// level in the register
	Level string `json:"level" enums:"state,government_region,region,district,association,municipality" example:"district"`
	// path of the region
	Href string `json:"href" example:"/api/v1/regions/05515"`
} // @name RegionRef

// RegionList is one page of regions with the register's attribution.
type RegionList struct {
	// the page's regions
	Items []Region `json:"items"`
	// number of all matching regions
	Total int64 `json:"total" example:"3"`
	// pass as cursor for the next page; null on the last page
	NextCursor *string `json:"next_cursor" example:"eyJzIjoicmVsZXZhbmNlIiwidiI6WyIwIl19" extensions:"x-nullable"`
	// the register
	Source RegionSource `json:"source"`
} // @name RegionList

// RegionDetail is a region with the regions enclosing it and the register's
// attribution.
type RegionDetail struct {
	Region
	// the regions enclosing it, nearest first, up to the state
	Parents []RegionRef `json:"parents"`
	// number of regions directly in it (GET …/children)
	ChildrenCount int `json:"children_count" example:"0" minimum:"0"`
	// the register
	Source RegionSource `json:"source"`
} // @name RegionDetail

func regionSourceOut(s region.Source) RegionSource {
	return RegionSource{Name: s.Name, AsOf: s.AsOf, PopulationAsOf: s.PopulationAsOf, Licence: s.Licence,
		LicenceURL: s.LicenceURL, Attribution: s.Attribution}
}

func regionHref(x region.Region) string { return "/api/v1/regions/" + x.Key }

func regionOut(x region.Region) Region {
	out := Region{ARS: x.ARS(), Key: x.Key, Name: x.Name, Level: x.Level, Kind: x.Kind, State: x.State(),
		Population: x.Population, AreaKm2: x.AreaKm2(), Href: regionHref(x)}
	out.LevelLabelDE, out.LevelLabelEN = coop.RegionLevels.Label(x.Level)
	out.KindLabelDE, out.KindLabelEN = coop.RegionKinds.Label(x.Kind)
	if ags := x.AGS(); ags != "" {
		out.AGS = &ags
	}
	if x.Level == region.Municipality {
		if x.PostalCode != "" {
			pc := x.PostalCode
			out.PostalCode = &pc
		}
		if x.Latitude != 0 || x.Longitude != 0 {
			lat, lon := x.Latitude, x.Longitude
			out.Latitude, out.Longitude = &lat, &lon
		}
	}
	return out
}

func regionRefOut(x region.Region) RegionRef {
	return RegionRef{ARS: x.ARS(), Key: x.Key, Name: x.Name, Level: x.Level, Href: regionHref(x)}
}

func regionsOut(list []region.Region) []Region {
	out := make([]Region, len(list))
	for i, x := range list {
		out[i] = regionOut(x)
	}
	return out
}
