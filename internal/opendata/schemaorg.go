package opendata

import (
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// The linked data of one resource: schema.org in JSON-LD, the same for the API
// (Accept: application/ld+json) and for the web pages, which embed it in a
// <script type="application/ld+json"> element (html/template escapes it there; with
// encoding/json's default HTML escaping it is safe to embed as it is). The context is
// inline — schema.org's vocabulary with url as a link — so that no processor has to
// fetch https://schema.org to read it; it expands to the http://schema.org/ terms that
// schema.org's own context gives.

// Context is the JSON-LD context of every resource document.
var Context = map[string]any{
	"@vocab": "http://schema.org/",
	"url":    map[string]any{"@type": "@id"},
}

// Organization is a schema.org Organization, GovernmentOrganization or Project, as a
// document (with @context) or nested (a reference with @id, type and name).
type Organization struct {
	Context            map[string]any  `json:"@context,omitempty"`
	ID                 string          `json:"@id"`
	Type               string          `json:"@type"`
	Name               string          `json:"name"`
	AlternateName      string          `json:"alternateName,omitempty"`
	Description        string          `json:"description,omitempty"`
	URL                string          `json:"url,omitempty"`
	Email              string          `json:"email,omitempty"`
	Address            *PostalAddress  `json:"address,omitempty"`
	Identifier         []PropertyValue `json:"identifier,omitempty"`
	AreaServed         *Link           `json:"areaServed,omitempty"`
	ParentOrganization *Organization   `json:"parentOrganization,omitempty"`
	NumberOfEmployees  *Quantity       `json:"numberOfEmployees,omitempty"`
	FoundingDate       string          `json:"foundingDate,omitempty"`
	DissolutionDate    string          `json:"dissolutionDate,omitempty"`
	Keywords           []string        `json:"keywords,omitempty"`
	Member             []Role          `json:"member,omitempty"`
}

// PostalAddress is a schema.org PostalAddress.
type PostalAddress struct {
	Type            string `json:"@type"`
	StreetAddress   string `json:"streetAddress,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
	AddressLocality string `json:"addressLocality,omitempty"`
	AddressRegion   string `json:"addressRegion,omitempty"`
	AddressCountry  string `json:"addressCountry"`
}

// PropertyValue is an identifier of a kind: AGS, ARS, Leitweg-ID, or the directory's id.
type PropertyValue struct {
	Type       string `json:"@type"`
	PropertyID string `json:"propertyID"`
	Value      string `json:"value"`
}

// Quantity is a schema.org QuantitativeValue (a head count).
type Quantity struct {
	Type  string `json:"@type"`
	Value int    `json:"value"`
}

// Link is a reference to a node by its IRI only.
type Link struct {
	ID string `json:"@id"`
}

// Role is a member in a role (schema.org's role pattern: an OrganizationRole whose
// member is the partner), with the time it held it.
type Role struct {
	Type      string        `json:"@type"`
	RoleName  string        `json:"roleName"`
	Member    *Organization `json:"member"`
	StartDate string        `json:"startDate,omitempty"`
	EndDate   string        `json:"endDate,omitempty"`
}

// governmentTypes are the partner types that are public bodies
// (GovernmentOrganization); IT providers, enterprises and companies are
// Organizations, whatever their owners.
var governmentTypes = map[string]bool{
	"municipality": true, "district": true, "regional_association": true, "department": true,
	"special_purpose_association": true, "state_authority": true, "federal_authority": true,
}

// PartnerLD is the partner as schema.org JSON-LD: a GovernmentOrganization or an
// Organization with its official keys as identifiers, its address, its parent and,
// for partners with an official key, the territory it stands for as areaServed (the
// DCAT-AP.de political-geocoding IRI the catalogue uses).
func PartnerLD(u URIs, p coop.Partner) Organization {
	o := Organization{
		Context: Context, ID: u.Partner(p.Slug), Type: "Organization", Name: p.Name,
		AlternateName: p.ShortName, Description: p.Description, URL: p.Website, Email: p.Email,
	}
	if governmentTypes[p.Type] {
		o.Type = "GovernmentOrganization"
	}
	if a := p.Address; a != (coop.Address{}) || p.State != "" {
		o.Address = &PostalAddress{Type: "PostalAddress", StreetAddress: a.Street, PostalCode: a.PostalCode,
			AddressLocality: a.City, AddressRegion: stateName(p.State), AddressCountry: "DE"}
	}
	for _, id := range []struct{ kind, value string }{{"AGS", p.AGS}, {"ARS", p.ARS}, {"Leitweg-ID", p.LeitwegID}} {
		if id.value != "" {
			o.Identifier = append(o.Identifier, PropertyValue{Type: "PropertyValue", PropertyID: id.kind, Value: id.value})
		}
	}
	o.Identifier = append(o.Identifier, PropertyValue{Type: "PropertyValue", PropertyID: "ikz-id", Value: p.ID})
	ps := places{}
	ps.add(coop.PartnerKey{ID: p.ID, Type: p.Type, ARS: p.ARS, AGS: p.AGS})
	for k := range ps {
		iri, _ := k.place()
		o.AreaServed = &Link{ID: iri}
	}
	if p.Parent != nil {
		o.ParentOrganization = &Organization{ID: u.Partner(p.Parent.Slug), Type: "Organization", Name: p.Parent.Name}
	}
	if p.Employees != nil {
		o.NumberOfEmployees = &Quantity{Type: "QuantitativeValue", Value: p.Employees.Count}
	}
	return o
}

// CooperationLD is the cooperation as a schema.org Organization whose members are the
// partners in their roles, founded and dissolved on its start and end.
func CooperationLD(u URIs, c coop.Cooperation) Organization {
	o := Organization{
		Context: Context, ID: u.Cooperation(c.Slug), Type: "Organization", Name: c.Title,
		Description: c.Description, FoundingDate: c.StartedOn.String(), DissolutionDate: c.EndedOn.String(),
		Identifier: []PropertyValue{{Type: "PropertyValue", PropertyID: "ikz-id", Value: c.ID}},
	}
	for _, m := range c.Members {
		o.Member = append(o.Member, Role{Type: "OrganizationRole", RoleName: coop.MemberRoles.LabelDE(m.Role),
			Member: &Organization{ID: u.Partner(m.Partner.Slug), Type: "Organization", Name: m.Partner.Name}})
	}
	return o
}

// ProjectLD is the project as a schema.org Project, part of its cooperation
// (parentOrganization), with its participants in their roles and periods, its start
// and end, and its tags as keywords. Finance is never part of it.
func ProjectLD(u URIs, p coop.Project) Organization {
	o := Organization{
		Context: Context, ID: u.Project(p.Slug), Type: "Project", Name: p.Title, Description: p.Description,
		FoundingDate: p.StartedOn.String(), DissolutionDate: p.EndedOn.String(), Keywords: p.Tags,
		Identifier: []PropertyValue{{Type: "PropertyValue", PropertyID: "ikz-id", Value: p.ID}},
	}
	if p.Cooperation.Slug != "" {
		o.ParentOrganization = &Organization{ID: u.Cooperation(p.Cooperation.Slug), Type: "Organization", Name: p.Cooperation.Name}
	}
	for _, x := range p.Participants {
		o.Member = append(o.Member, Role{Type: "OrganizationRole", RoleName: coop.ParticipantRoles.LabelDE(x.Role),
			Member:    &Organization{ID: u.Partner(x.Partner.Slug), Type: "Organization", Name: x.Partner.Name},
			StartDate: x.Since.String(), EndDate: x.Until.String()})
	}
	return o
}

// stateName is the German name of an ISO 3166-2 state code ("" for none).
func stateName(code string) string {
	if code == "" {
		return ""
	}
	return coop.States.LabelDE(code)
}
