package httpapi

import (
	"regexp"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/imports"
)

// The columns an import reads from CSV and XLSX: the export's German headers
// (exports_rows.go), each turned into the API field it shows. A cell in the export's
// form (German labels, names, "Name (Rolle)" lists, German dates and amounts) becomes
// the API's form (codes, slugs, ISO dates, decimal strings); what is not recognised
// is handed on as it is, so that the API's validation refuses it with its own code.
// An empty cell clears its field.

// importColumn is one column: its header, the API field (a dotted path for nested
// objects: "finance.cost_actual") and the conversion of a cell (never called for an
// empty one). A column without a conversion is computed by the directory (population
// served, cost per inhabitant, a partner's population and area): the export writes it,
// an import reads past it, so that a file exported and imported again changes nothing.
type importColumn struct {
	header string
	field  string
	conv   func(r *importRefs, s string) any
}

func text(_ *importRefs, s string) any     { return strings.TrimSpace(s) }
func dateCell(_ *importRefs, s string) any { return imports.Date(s) }
func amountCell(_ *importRefs, s string) any {
	return imports.Amount(s)
}
func intCell(_ *importRefs, s string) any  { return imports.Int(s) }
func boolCell(_ *importRefs, s string) any { return imports.Bool(s) }
func listCell(_ *importRefs, s string) any { return imports.List(s) }

// keysCell reads a list of region keys, restoring the leading zero a spreadsheet may
// have taken from each.
func keysCell(_ *importRefs, s string) any {
	list := imports.List(s)
	for i, k := range list {
		list[i] = digitsCell(12)(nil, k).(string)
	}
	return list
}

// enumCell takes a code, its German or its English label (case-insensitive).
func enumCell(e coop.Enum) func(*importRefs, string) any {
	return func(_ *importRefs, s string) any { return enumCode(e, s) }
}

func enumCode(e coop.Enum, s string) string {
	s = strings.TrimSpace(s)
	for _, l := range e {
		if s == l.Code || strings.EqualFold(s, l.LabelDE) || strings.EqualFold(s, l.LabelEN) {
			return l.Code
		}
	}
	return s
}

// digitsCell restores the leading zeros a spreadsheet takes from a key it read as a
// number (AGS 05515000 shown as 5515000).
func digitsCell(n int) func(*importRefs, string) any {
	return func(_ *importRefs, s string) any {
		s = strings.TrimSpace(s)
		if len(s) < n && len(s) >= n-2 && allDigits(s) {
			s = strings.Repeat("0", n-len(s)) + s
		}
		return s
	}
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// partnerCell names a partner by slug or by name (as the export writes it).
func partnerCell(r *importRefs, s string) any { return r.partner(strings.TrimSpace(s)) }

// cooperationCell names a cooperation by slug or by title.
func cooperationCell(r *importRefs, s string) any { return r.cooperation(strings.TrimSpace(s)) }

// roleEntry is one entry of a participants or members cell: "Name (Rolle)" as the
// export writes it, or "slug:role".
var roleEntry = regexp.MustCompile(`^(.*?)\s*\(([^()]*)\)$`)

// rolesCell reads a list of partners with their roles: "citeq (Leistungsnehmer);
// LWL.IT Service Abteilung (Leistungserbringer)" or "citeq:consumer; lwl-it:provider".
func rolesCell(roles coop.Enum) func(*importRefs, string) any {
	return func(r *importRefs, s string) any {
		var out []any
		for _, e := range imports.List(s) {
			who, role := e, ""
			if m := roleEntry.FindStringSubmatch(e); m != nil {
				who, role = m[1], m[2]
			} else if i := strings.LastIndex(e, ":"); i > 0 {
				who, role = strings.TrimSpace(e[:i]), strings.TrimSpace(e[i+1:])
			}
			out = append(out, map[string]any{"partner": r.partner(who), "role": enumCode(roles, role)})
		}
		return out
	}
}

var (
	projectImportColumns = []importColumn{
		{"Slug", "slug", text}, {"Titel", "title", text}, {"Status", "status", enumCell(coop.ProjectStatuses)},
		{"Kategorie", "category", enumCell(coop.ProjectCategories)}, {"Kooperation", "cooperation", cooperationCell},
		{"Beteiligte", "participants", rolesCell(coop.ParticipantRoles)},
		{"Beginn", "started_on", dateCell}, {"Ende", "ended_on", dateCell},
		{"Budget geplant", "finance.budget_planned", amountCell}, {"Kosten ist", "finance.cost_actual", amountCell},
		{"Einsparung geschätzt", "finance.savings_estimated", amountCell},
		// computed: read past
		{"Einwohner versorgt", "population_served", nil}, {"Budget je Einwohner", "budget_per_inhabitant", nil},
		{"Kosten je Einwohner", "cost_per_inhabitant", nil}, {"Einsparung je Einwohner", "savings_per_inhabitant", nil},
		// not in the export, but in the API: a file may carry them
		{"Beschreibung", "description", text}, {"Lösung", "solution", text}, {"Geplantes Ende", "planned_end_on", dateCell},
		{"Rechtsgrundlagen", "legal_basis", listCell}, {"Schlagworte", "tags", listCell},
	}
	partnerImportColumns = []importColumn{
		{"Slug", "slug", text}, {"Name", "name", text}, {"Kurzname", "short_name", text},
		{"Typ", "type", enumCell(coop.PartnerTypes)}, {"Gehört zu", "parent", partnerCell}, {"Rechtsform", "legal_form", text},
		{"AGS", "ags", digitsCell(8)}, {"ARS", "ars", digitsCell(12)}, {"Bundesland", "state", enumCell(coop.States)},
		{"Leitweg-ID", "leitweg_id", text}, {"Website", "website", text}, {"E-Mail", "email", text},
		{"Straße", "address.street", text}, {"PLZ", "address.postal_code", digitsCell(5)}, {"Ort", "address.city", text},
		{"Beschäftigte", "employees.count", intCell}, {"Beschäftigte Stand", "employees.as_of", dateCell},
		{"Versorgte Gebiete", "serves", keysCell},
		// computed from the register: read past
		{"Einwohner", "population", nil}, {"Einwohner Stand", "population.as_of", nil}, {"Fläche km²", "area_km2", nil},
		{"Beschreibung", "description", text},
	}
	cooperationImportColumns = []importColumn{
		{"Slug", "slug", text}, {"Titel", "title", text}, {"Status", "status", enumCell(coop.CooperationStatuses)},
		{"Rechtsform", "legal_form", enumCell(coop.CooperationLegalForms)}, {"Beginn", "started_on", dateCell},
		{"Ende", "ended_on", dateCell}, {"Mitglieder", "members", rolesCell(coop.MemberRoles)},
		{"Rechtsgrundlagen", "legal_basis", listCell}, {"Kündigungsfrist (Monate)", "notice_period_months", intCell},
		{"Umsatzsteuer", "vat_treatment", enumCell(coop.VATTreatments)}, {"Vergaberechtsfrei", "procurement_exempt", boolCell},
		{"Beschreibung", "description", text},
	}
)

// headerColumns matches a table's header to the columns (case and blanks around
// ignored; the API field names are understood too): the column of each position, nil
// for an unknown header (reported, not applied).
func headerColumns(cols []importColumn, header []string) []*importColumn {
	out := make([]*importColumn, len(header))
	for i, h := range header {
		for j := range cols {
			if strings.EqualFold(h, cols[j].header) || h == cols[j].field {
				out[i] = &cols[j]
				break
			}
		}
	}
	return out
}

// rowPatch turns a table row into the JSON Merge Patch of its fields, and says which
// column each field came from. A nested object whose cells are all empty is null
// (cleared) as a whole.
func rowPatch(cols []*importColumn, header []string, cells []string, refs *importRefs) (map[string]any, map[string]string) {
	patch := map[string]any{}
	columnOf := map[string]string{}
	groups := map[string]map[string]any{}
	for i, col := range cols {
		if col == nil || col.conv == nil {
			continue
		}
		var cell string
		if i < len(cells) {
			cell = cells[i]
		}
		var v any
		if strings.TrimSpace(cell) != "" {
			v = col.conv(refs, cell)
		}
		columnOf[col.field] = header[i]
		group, leaf, nested := strings.Cut(col.field, ".")
		if !nested {
			patch[col.field] = v
			continue
		}
		if groups[group] == nil {
			groups[group] = map[string]any{}
		}
		groups[group][leaf] = v
		if _, ok := columnOf[group]; !ok {
			columnOf[group] = header[i]
		}
	}
	for g, m := range groups {
		patch[g] = nil
		for _, v := range m {
			if v != nil {
				patch[g] = m
				break
			}
		}
	}
	return patch, columnOf
}

// ImportResourceOf guesses what a table's rows are from its header (the column only
// one resource's export has): "" for JSON or when the header does not tell.
func ImportResourceOf(f imports.Format, data []byte) string {
	r, err := imports.Open(f, data, imports.DefaultLimits)
	if err != nil {
		return ""
	}
	defer r.Close()
	for _, h := range r.Header() {
		switch strings.ToLower(h) {
		case "beteiligte", "kategorie", "participants":
			return "projects"
		case "mitglieder", "members", "kündigungsfrist (monate)":
			return "cooperations"
		case "name", "typ", "ags", "kurzname":
			return "partners"
		}
	}
	return ""
}
