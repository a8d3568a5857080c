package httpapi

import (
	"strings"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

// Address is a postal address.
type Address struct {
	Street     string `json:"street,omitempty" example:"Albersloher Weg 33" maxLength:"300"`
	PostalCode string `json:"postal_code,omitempty" example:"48155" extensions:"x-pattern=^\\d{5}$"`
	City       string `json:"city,omitempty" example:"Münster" maxLength:"300"`
} // @name Address

// Employees is a head count with the date it was true.
type Employees struct {
	// number of employees
	Count int `json:"count" example:"150" minimum:"0" maximum:"10000000"`
	// date of the count, precision kept
	AsOf string `json:"as_of,omitempty" example:"2018-02" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
} // @name Employees

// Partner is an organisation taking part in cooperations.
type Partner struct {
	// server-assigned id
	ID string `json:"id" format:"uuid" example:"0b7c3c4e-8a4f-4d47-9a3e-2f1e5d6c7b8a"`
	// unique slug
	Slug string `json:"slug" example:"citeq"`
	// full name
	Name string `json:"name" example:"citeq"`
	// short name or abbreviation
	ShortName string `json:"short_name,omitempty" example:"citeq"`
	// kind of organisation
	Type string `json:"type" enums:"municipality,district,regional_association,municipal_it_provider,department,special_purpose_association,municipal_enterprise,state_authority,federal_authority,company,other" example:"municipal_it_provider"`
	// the organisation it belongs to
	Parent *Ref `json:"parent" extensions:"x-nullable"`
	// legal form, e.g. eigenbetriebsähnliche Einrichtung
	LegalForm string `json:"legal_form,omitempty" example:"eigenbetriebsähnliche Einrichtung"`
	// Amtlicher Gemeindeschlüssel (8 digits)
	AGS string `json:"ags,omitempty" example:"05515000" extensions:"x-pattern=^\\d{8}$"`
	// Amtlicher Regionalschlüssel (12 digits)
	ARS string `json:"ars,omitempty" example:"055150000000" extensions:"x-pattern=^\\d{12}$"`
	// federal state, ISO 3166-2
	State string `json:"state,omitempty" example:"DE-NW" enums:"DE-SH,DE-HH,DE-NI,DE-HB,DE-NW,DE-HE,DE-RP,DE-BW,DE-BY,DE-SL,DE-BE,DE-BB,DE-MV,DE-SN,DE-ST,DE-TH"`
	// e-invoice address, check digits verified
	LeitwegID string `json:"leitweg_id,omitempty" example:"04011000-1234512345-06"`
	// web site
	Website string `json:"website,omitempty" format:"uri" example:"https://www.citeq.de"`
	// functional mailbox (no personal data)
	Email string `json:"email,omitempty" format:"email" example:"info@citeq.de"`
	// postal address
	Address *Address `json:"address,omitempty"`
	// head count
	Employees *Employees `json:"employees,omitempty"`
	// German description
	Description string `json:"description,omitempty" example:"IT-Dienstleister der Stadt Münster"`
	// creation time (UTC)
	CreatedAt time.Time `json:"created_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// last change (UTC)
	UpdatedAt time.Time `json:"updated_at" example:"2026-01-31T12:00:00Z" format:"date-time"`
	// 1 on create, +1 on every change
	Version int `json:"version" example:"1"`
	// regions a provider or association serves (12-digit ARS); they count for it in the population served
	Serves []string `json:"serves,omitempty" example:"055000000000,057000000000,059000000000"`
	// its territorial unit in the register in force (municipalities, districts and states whose key the register knows)
	Region *RegionRef `json:"region" extensions:"x-nullable"`
	// inhabitants from the register: of its territorial unit, or of the regions it serves (each counted once)
	Population *Population `json:"population" extensions:"x-nullable"`
	// area in km² of the same regions, from the register
	AreaKm2 *float64 `json:"area_km2" example:"303.28" extensions:"x-nullable"`
	// how its keys stand in the register in force: current, outdated (a key or served region is no longer in it, e.g. after a merger), missing (a municipality, district or state without a key)
	RegionStatus string `json:"region_status" enums:"current,outdated,missing" example:"current"`
	// register names the register whose figures the answer shows (its digest's start).
	register string
} // @name Partner

// registerVariant is the ETag variant of a partner answer with the figures of the
// register whose digest begins with digest: a newer register (regions import) makes
// the same version a new representation. ifMatchVersion takes it as the version.
func registerVariant(digest string) string { return "reg-" + digest[:min(12, len(digest))] }

func isRegisterVariant(v string) bool { return strings.HasPrefix(v, "reg-") }

func (p Partner) etagVariant() string {
	if p.register == "" {
		return ""
	}
	return registerVariant(p.register)
}

// Population is a number of inhabitants with the date it was true.
type Population struct {
	// inhabitants
	Count int64 `json:"count" example:"315293" minimum:"0"`
	// date of the count (the register's population_as_of)
	AsOf string `json:"as_of" example:"2019-12-31" extensions:"x-pattern=^\\d{4}(-\\d{2}(-\\d{2})?)?$"`
} // @name Population

// PartnerInput creates a partner, or is the merged result of a PATCH.
type PartnerInput struct {
	// unique slug: lower-case ASCII, digits and single hyphens; from the name if left out with a key the register knows
	Slug string `json:"slug,omitempty" example:"kreis-warendorf" maxLength:"100" extensions:"x-pattern=^[a-z0-9]+(-[a-z0-9]+)*$"`
	// full name; from the register if left out with its key (Kreis Warendorf)
	Name string `json:"name,omitempty" example:"Kreis Warendorf" maxLength:"300"`
	// short name
	ShortName string `json:"short_name,omitempty" example:"Kreis WAF" maxLength:"100"`
	// kind of organisation; from the register's level if left out with a key (municipality, district, state)
	Type string `json:"type,omitempty" enums:"municipality,district,regional_association,municipal_it_provider,department,special_purpose_association,municipal_enterprise,state_authority,federal_authority,company,other" example:"district"`
	// id or slug of the organisation it belongs to (a Kreis: its Landschaftsverband)
	Parent *string `json:"parent,omitempty" example:"lwl" extensions:"x-nullable" maxLength:"100"`
	// legal form
	LegalForm string `json:"legal_form,omitempty" example:"Gebietskörperschaft" maxLength:"300"`
	// Amtlicher Gemeindeschlüssel (8 digits); of a municipality, district or state it must be in the register (422 unknown, naming the nearest)
	AGS string `json:"ags,omitempty" example:"05570000" extensions:"x-pattern=^\\d{8}$"`
	// Amtlicher Regionalschlüssel (12 digits, first five as the AGS); as the AGS. With a known key alone, name, type, slug, state and AGS come from the register
	ARS string `json:"ars,omitempty" example:"055700000000" extensions:"x-pattern=^\\d{12}$"`
	// federal state, ISO 3166-2; must agree with the AGS/ARS
	State string `json:"state,omitempty" example:"DE-NW" enums:"DE-SH,DE-HH,DE-NI,DE-HB,DE-NW,DE-HE,DE-RP,DE-BW,DE-BY,DE-SL,DE-BE,DE-BB,DE-MV,DE-SN,DE-ST,DE-TH"`
	// Leitweg-ID with valid check digits
	LeitwegID string `json:"leitweg_id,omitempty" example:"055700000000-0000-65" maxLength:"46"`
	// web site (absolute http(s) URL)
	Website string `json:"website,omitempty" format:"uri" example:"https://www.kreis-warendorf.de"`
	// functional mailbox
	Email string `json:"email,omitempty" format:"email" example:"poststelle@kreis-warendorf.de"`
	// postal address
	Address *Address `json:"address,omitempty"`
	// head count
	Employees *Employees `json:"employees,omitempty"`
	// German description
	Description string `json:"description,omitempty" example:"Kreis im Münsterland mit 13 Städten und Gemeinden" maxLength:"20000"`
	// regions a partner that is no territorial unit serves: ARS (12 digits) or a key's significant digits (05 state, 055 government region, 05515 district); the register must know them
	Serves []string `json:"serves,omitempty" extensions:"x-max-items=100" minLength:"2" maxLength:"12"`
} // @name PartnerInput

func partnerOut(p coop.Partner, reg *region.Register) Partner {
	out := Partner{Serves: p.Serves, RegionStatus: p.RegionStatus,
		ID: p.ID, Slug: p.Slug, Name: p.Name, ShortName: p.ShortName, Type: p.Type,
		Parent: refPtr(partnersPath, p.Parent), LegalForm: p.LegalForm, AGS: p.AGS, ARS: p.ARS, State: p.State,
		LeitwegID: p.LeitwegID, Website: p.Website, Email: p.Email, Description: p.Description,
		CreatedAt: utc(p.CreatedAt), UpdatedAt: utc(p.UpdatedAt), Version: p.Version,
	}
	if p.Address != (coop.Address{}) {
		out.Address = &Address{Street: p.Address.Street, PostalCode: p.Address.PostalCode, City: p.Address.City}
	}
	if p.Employees != nil {
		out.Employees = &Employees{Count: p.Employees.Count, AsOf: p.Employees.AsOf.String()}
	}
	if reg != nil {
		partnerRegionOut(&out, p, reg)
	}
	return out
}

// partnerRegionOut adds what the register says of a partner: its territorial unit, or
// the regions it serves (each counted once), with their population and area.
func partnerRegionOut(out *Partner, p coop.Partner, reg *region.Register) {
	f, ok := partnerFiguresOf(p, reg)
	if f.unit != nil {
		ref := regionRefOut(*f.unit)
		out.Region = &ref
	}
	if !ok {
		return
	}
	km2 := float64(f.areaHa) / 100
	out.Population, out.AreaKm2 = &Population{Count: f.population, AsOf: reg.Source.PopulationAsOf}, &km2
	out.register = reg.Digest
}

// partnerFigures is what the register says of a partner: its territorial unit (nil
// for other partners) and the population and area (hectares) of its unit or of the
// regions it serves, each counted once.
type partnerFigures struct {
	unit               *region.Region
	population, areaHa int64
}

// partnerFiguresOf reads a partner's figures from reg; ok is false when the register
// knows none of its regions.
func partnerFiguresOf(p coop.Partner, reg *region.Register) (f partnerFigures, ok bool) {
	var keys []string
	if level := coop.TerritorialLevel(p.Type); level != "" {
		x, found := reg.ResolveARS(p.ARS, level)
		if !found && p.AGS != "" {
			x, found = reg.ResolveAGS(p.AGS, level)
		}
		if !found {
			return f, false
		}
		f.unit = &x
		keys = []string{x.Key}
	} else {
		for _, ars := range p.Serves {
			if x, found := reg.ResolveARS(ars, ""); found {
				keys = append(keys, x.Key)
			}
		}
		keys = region.Outermost(keys)
	}
	for _, k := range keys {
		x, _ := reg.Get(k)
		f.population += x.Population
		f.areaHa += x.AreaHa
	}
	return f, len(keys) > 0
}

// partnerInputOf is the request form of a stored partner: the base a PATCH merges into.
func partnerInputOf(p coop.Partner) PartnerInput {
	out := partnerOut(p, nil)
	in := PartnerInput{Serves: p.Serves,
		Slug: out.Slug, Name: out.Name, ShortName: out.ShortName, Type: out.Type, LegalForm: out.LegalForm,
		AGS: out.AGS, ARS: out.ARS, State: out.State, LeitwegID: out.LeitwegID, Website: out.Website,
		Email: out.Email, Address: out.Address, Employees: out.Employees, Description: out.Description,
	}
	if p.Parent != nil {
		in.Parent = &p.Parent.Slug
	}
	return in
}

func (in PartnerInput) draft() coop.PartnerDraft {
	d := coop.PartnerDraft{
		Slug: in.Slug, Name: in.Name, ShortName: in.ShortName, Type: in.Type, Parent: deref(in.Parent),
		LegalForm: in.LegalForm, AGS: in.AGS, ARS: in.ARS, State: in.State, LeitwegID: in.LeitwegID,
		Website: in.Website, Email: in.Email, Description: in.Description, Serves: in.Serves,
	}
	if in.Address != nil {
		d.Address = coop.Address{Street: in.Address.Street, PostalCode: in.Address.PostalCode, City: in.Address.City}
	}
	if in.Employees != nil {
		d.Employees = &coop.EmployeesDraft{Count: in.Employees.Count, AsOf: in.Employees.AsOf}
	}
	return d
}

func partnersOut(list []coop.Partner, reg *region.Register) []Partner {
	out := make([]Partner, len(list))
	for i, p := range list {
		out[i] = partnerOut(p, reg)
	}
	return out
}
