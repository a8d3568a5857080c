package httpapi

import (
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/export"
)

// The columns and rows of the exports: German headers, German labels for codes, typed
// dates and money (money columns only for those who may see finance).

var (
	projectExportColumns = []export.Column{
		{Header: "Slug", Width: 30}, {Header: "Titel", Width: 50}, {Header: "Status", Width: 16},
		{Header: "Kategorie", Width: 24}, {Header: "Kooperation", Width: 40}, {Header: "Beteiligte", Width: 70},
		{Header: "Beginn", Width: 12}, {Header: "Ende", Width: 12},
	}
	moneyExportColumns = []export.Column{
		{Header: "Budget geplant", Width: 18}, {Header: "Kosten ist", Width: 18}, {Header: "Einsparung geschätzt", Width: 20},
	}
	partnerExportColumns = []export.Column{
		{Header: "Slug", Width: 24}, {Header: "Name", Width: 40}, {Header: "Kurzname", Width: 16},
		{Header: "Typ", Width: 28}, {Header: "Gehört zu", Width: 30}, {Header: "Rechtsform", Width: 20},
		{Header: "AGS", Width: 10}, {Header: "ARS", Width: 14}, {Header: "Bundesland", Width: 22},
		{Header: "Leitweg-ID", Width: 24}, {Header: "Website", Width: 30}, {Header: "E-Mail", Width: 30},
		{Header: "Straße", Width: 24}, {Header: "PLZ", Width: 8}, {Header: "Ort", Width: 18},
		{Header: "Beschäftigte", Width: 12}, {Header: "Beschäftigte Stand", Width: 12},
	}
	cooperationExportColumns = []export.Column{
		{Header: "Slug", Width: 30}, {Header: "Titel", Width: 50}, {Header: "Status", Width: 14},
		{Header: "Rechtsform", Width: 34}, {Header: "Beginn", Width: 12}, {Header: "Ende", Width: 12},
		{Header: "Mitglieder", Width: 70}, {Header: "Rechtsgrundlagen", Width: 30},
		{Header: "Kündigungsfrist (Monate)", Width: 12}, {Header: "Umsatzsteuer", Width: 26},
		{Header: "Vergaberechtsfrei", Width: 10},
	}
	statsExportColumns = []export.Column{{Header: "Status", Width: 18}, {Header: "Anzahl", Width: 10}}
)

// withMoney appends the money columns when finance may be shown.
func withMoney(cols []export.Column, finance bool) []export.Column {
	if !finance {
		return cols
	}
	return append(slices.Clone(cols), moneyExportColumns...)
}

// participantsText lists a project's partners with their German role labels, by name:
// "citeq (Leistungsnehmer); LWL.IT Service Abteilung (Leistungserbringer)".
func participantsText(list []coop.Participant) string {
	parts := make([]string, len(list))
	for i, p := range list {
		parts[i] = p.Partner.Name + " (" + coop.ParticipantRoles.LabelDE(p.Role) + ")"
	}
	slices.SortFunc(parts, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return strings.Join(parts, "; ")
}

func projectCells(p coop.Project, finance bool) []export.Cell {
	cells := []export.Cell{
		export.Text(p.Slug), export.Text(p.Title), export.Text(coop.ProjectStatuses.LabelDE(p.Status)),
		export.Text(coop.ProjectCategories.LabelDE(p.Category)), export.Text(p.Cooperation.Name),
		export.Text(participantsText(p.Participants)), export.Date(p.StartedOn), export.Date(p.EndedOn),
	}
	if finance {
		cells = append(cells, export.Money(p.Finance.BudgetPlanned), export.Money(p.Finance.CostActual),
			export.Money(p.Finance.SavingsEstimated))
	}
	return cells
}

func partnerCells(p coop.Partner) []export.Cell {
	var parent string
	if p.Parent != nil {
		parent = p.Parent.Name
	}
	var count *int64
	var asOf coop.PartialDate
	if p.Employees != nil {
		n := int64(p.Employees.Count)
		count, asOf = &n, p.Employees.AsOf
	}
	return []export.Cell{
		export.Text(p.Slug), export.Text(p.Name), export.Text(p.ShortName), export.Text(coop.PartnerTypes.LabelDE(p.Type)),
		export.Text(parent), export.Text(p.LegalForm), export.Text(p.AGS), export.Text(p.ARS),
		export.Text(coop.States.LabelDE(p.State)), export.Text(p.LeitwegID), export.Text(p.Website), export.Text(p.Email),
		export.Text(p.Address.Street), export.Text(p.Address.PostalCode), export.Text(p.Address.City),
		export.Int(count), export.Date(asOf),
	}
}

func cooperationCells(c coop.Cooperation) []export.Cell {
	members := make([]string, len(c.Members))
	for i, m := range c.Members {
		members[i] = m.Partner.Name + " (" + coop.MemberRoles.LabelDE(m.Role) + ")"
	}
	var notice *int64
	if c.NoticePeriodMonths != nil {
		n := int64(*c.NoticePeriodMonths)
		notice = &n
	}
	exempt := ""
	if c.ProcurementExempt != nil {
		exempt = map[bool]string{true: "ja", false: "nein"}[*c.ProcurementExempt]
	}
	return []export.Cell{
		export.Text(c.Slug), export.Text(c.Title), export.Text(coop.CooperationStatuses.LabelDE(c.Status)),
		export.Text(coop.CooperationLegalForms.LabelDE(c.LegalForm)), export.Date(c.StartedOn), export.Date(c.EndedOn),
		export.Text(strings.Join(members, "; ")), export.Text(strings.Join(c.LegalBasis, "; ")),
		export.Int(notice), export.Text(coop.VATTreatments.LabelDE(c.VATTreatment)), export.Text(exempt),
	}
}

// statsSheet is the "Statistik" sheet of a project workbook: the projects by status,
// then the total.
func statsSheet(st coop.Stats, finance bool) ([]export.Column, [][]export.Cell) {
	row := func(label string, n int64, sums coop.Sums) []export.Cell {
		cells := []export.Cell{export.Text(label), export.Int(&n)}
		if finance {
			cells = append(cells, export.MoneySum(sums.BudgetPlanned), export.MoneySum(sums.CostActual),
				export.MoneySum(sums.SavingsEstimated))
		}
		return cells
	}
	rows := make([][]export.Cell, 0, len(st.Groups)+1)
	for _, g := range st.Groups {
		rows = append(rows, row(g.Label, g.Count, g.Sums))
	}
	rows = append(rows, row("Summe", st.Total.Count, st.Total.Sums))
	return withMoney(statsExportColumns, finance), rows
}
