package coop

// Label is one enum value with its German and English labels.
type Label struct {
	Code    string
	LabelDE string
	LabelEN string
}

// Enum is an ordered list of the allowed codes of one field.
type Enum []Label

// Has reports whether code is a member of the enum.
func (e Enum) Has(code string) bool {
	for _, l := range e {
		if l.Code == code {
			return true
		}
	}
	return false
}

// LabelDE returns the German label of code, or code itself if unknown.
func (e Enum) LabelDE(code string) string {
	for _, l := range e {
		if l.Code == code {
			return l.LabelDE
		}
	}
	return code
}

// LabelEN returns the English label of code, or code itself if unknown.
func (e Enum) LabelEN(code string) string {
	for _, l := range e {
		if l.Code == code {
			return l.LabelEN
		}
	}
	return code
}

// Codes returns the codes in order.
func (e Enum) Codes() []string {
	out := make([]string, len(e))
	for i, l := range e {
		out[i] = l.Code
	}
	return out
}

// PartnerTypes are the kinds of organisation.
var PartnerTypes = Enum{
	{"municipality", "Kommune (Stadt/Gemeinde)", "Municipality"},
	{"district", "Kreis", "District"},
	{"regional_association", "Höherer Kommunalverband", "Regional association"},
	{"municipal_it_provider", "Kommunaler IT-Dienstleister", "Municipal IT service provider"},
	{"department", "Amt/Einrichtung", "Department"},
	{"special_purpose_association", "Zweckverband", "Special-purpose association"},
	{"municipal_enterprise", "Kommunalunternehmen (AöR)", "Municipal enterprise"},
	{"state_authority", "Landesbehörde", "State authority"},
	{"federal_authority", "Bundesbehörde", "Federal authority"},
	{"company", "Unternehmen", "Company"},
	{"other", "Sonstige", "Other"},
}

// CooperationLegalForms are the legal forms of a cooperation.
var CooperationLegalForms = Enum{
	{"letter_of_intent", "Absichtserklärung", "Letter of intent"},
	{"working_group", "Arbeitsgemeinschaft (GkG)", "Working group"},
	{"public_law_agreement", "Öffentlich-rechtliche Vereinbarung (GkG)", "Public-law agreement"},
	{"special_purpose_association", "Zweckverband (GkG)", "Special-purpose association"},
	{"joint_municipal_enterprise", "Gemeinsames Kommunalunternehmen (GkG)", "Joint municipal enterprise"},
	{"public_law_contract", "Öffentlich-rechtlicher Vertrag", "Public-law contract"},
	{"private_law_contract", "Privatrechtlicher Vertrag", "Private-law contract"},
	{"other", "Sonstige", "Other"},
}

// CooperationStatuses are the states of a cooperation.
var CooperationStatuses = Enum{
	{"planned", "In Anbahnung", "Planned"},
	{"active", "Aktiv", "Active"},
	{"suspended", "Ruhend", "Suspended"},
	{"ended", "Beendet", "Ended"},
}

// MemberRoles are the roles of a partner in a cooperation.
var MemberRoles = Enum{
	{"party", "Vertragspartei", "Contracting party"},
	{"implementer", "Umsetzende Stelle", "Implementing body"},
	{"observer", "Beobachter", "Observer"},
}

// VATTreatments say how VAT applies to a cooperation.
var VATTreatments = Enum{
	{"not_taxable_2b", "Nicht steuerbar (§ 2b UStG)", "Not taxable (§ 2b UStG)"},
	{"taxable", "Steuerbar", "Taxable"},
	{"under_review", "In Prüfung", "Under review"},
}

// ProjectCategories are the subject areas of a project.
var ProjectCategories = Enum{
	{"service_desk", "IT-Hotline/Service-Desk", "Service desk"},
	{"archiving", "Archivierung", "Archiving"},
	{"network", "Netze", "Networks"},
	{"data_center", "Rechenzentrum", "Data centre"},
	{"software", "Fachverfahren/Software", "Software"},
	{"information_security", "Informationssicherheit", "Information security"},
	{"organisation", "Organisation", "Organisation"},
	{"online_services", "Online-Dienste (OZG)", "Online services"},
	{"other", "Sonstiges", "Other"},
}

// ProjectStatuses are the states of a project.
var ProjectStatuses = Enum{
	{"idea", "Idee", "Idea"},
	{"planned", "Geplant", "Planned"},
	{"in_progress", "In Umsetzung", "In progress"},
	{"operational", "In Betrieb", "Operational"},
	{"suspended", "Ruhend", "Suspended"},
	{"completed", "Abgeschlossen", "Completed"},
	{"terminated", "Beendet", "Terminated"},
	{"cancelled", "Abgebrochen", "Cancelled"},
}

// ParticipantRoles are the roles of a partner in a project.
var ParticipantRoles = Enum{
	{"lead", "Federführung", "Lead"},
	{"partner", "Beteiligt", "Partner"},
	{"provider", "Leistungserbringer", "Provider"},
	{"consumer", "Leistungsnehmer", "Consumer"},
	{"developer", "Entwickler", "Developer"},
	{"operator", "Betreiber", "Operator"},
	{"funder", "Förderer", "Funder"},
	{"observer", "Beobachter", "Observer"},
}

// stateAGS maps each German federal state (ISO 3166-2) to the first two AGS digits.
var stateAGS = []struct{ code, name, ags string }{
	{"DE-SH", "Schleswig-Holstein", "01"},
	{"DE-HH", "Hamburg", "02"},
	{"DE-NI", "Niedersachsen", "03"},
	{"DE-HB", "Bremen", "04"},
	{"DE-NW", "Nordrhein-Westfalen", "05"},
	{"DE-HE", "Hessen", "06"},
	{"DE-RP", "Rheinland-Pfalz", "07"},
	{"DE-BW", "Baden-Württemberg", "08"},
	{"DE-BY", "Bayern", "09"},
	{"DE-SL", "Saarland", "10"},
	{"DE-BE", "Berlin", "11"},
	{"DE-BB", "Brandenburg", "12"},
	{"DE-MV", "Mecklenburg-Vorpommern", "13"},
	{"DE-SN", "Sachsen", "14"},
	{"DE-ST", "Sachsen-Anhalt", "15"},
	{"DE-TH", "Thüringen", "16"},
}

// States are the German federal states as ISO 3166-2 codes.
var States = func() Enum {
	e := make(Enum, len(stateAGS))
	for i, s := range stateAGS {
		e[i] = Label{s.code, s.name, s.name}
	}
	return e
}()

// StateByAGS returns the state code an AGS belongs to ("05515000" → "DE-NW").
func StateByAGS(ags string) string {
	if len(ags) < 2 {
		return ""
	}
	for _, s := range stateAGS {
		if s.ags == ags[:2] {
			return s.code
		}
	}
	return ""
}
