package httpapi

import (
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/export"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

// The columns and rows of the exports: German headers, German labels for codes, typed
// dates and money (money columns only for those who may see finance).

var (
	projectExportColumns = []export.Column{
		{Header: "Slug", Width: 30}, {Header: "Titel", Width: 50}, {Header: "Status", Width: 16},
		{Header: "Kategorie", Width: 24}, {Header: "Kooperation", Width: 40}, {Header: "Beteiligte", Width: 70},
		{Header: "Beginn", Width: 12}, {Header: "Ende", Width: 12}, {Header: "Einwohner versorgt", Width: 14},
	}
	moneyExportColumns = []export.Column{
		{Header: "Budget geplant", Width: 18}, {Header: "Kosten ist", Width: 18}, {Header: "Einsparung geschätzt", Width: 20},
		{Header: "Budget je Einwohner", Width: 14}, {Header: "Kosten je Einwohner", Width: 14},
		{Header: "Einsparung je Einwohner", Width: 14},
	}
	partnerExportColumns = []export.Column{
		{Header: "Slug", Width: 24}, {Header: "Name", Width: 40}, {Header: "Kurzname", Width: 16},
		{Header: "Typ", Width: 28}, {Header: "Gehört zu", Width: 30}, {Header: "Rechtsform", Width: 20},
		{Header: "AGS", Width: 10}, {Header: "ARS", Width: 14}, {Header: "Bundesland", Width: 22},
		{Header: "Leitweg-ID", Width: 24}, {Header: "Website", Width: 30}, {Header: "E-Mail", Width: 30},
		{Header: "Straße", Width: 24}, {Header: "PLZ", Width: 8}, {Header: "Ort", Width: 18},
		{Header: "Beschäftigte", Width: 12}, {Header: "Beschäftigte Stand", Width: 12},
		{Header: "Versorgte Gebiete", Width: 30}, {Header: "Einwohner", Width: 12}, {Header: "Einwohner Stand", Width: 12},
		{Header: "Fläche km²", Width: 12},
	}
	cooperationExportColumns = []export.Column{
		{Header: "Slug", Width: 30}, {Header: "Titel", Width: 50}, {Header: "Status", Width: 14},
		{Header: "Rechtsform", Width: 34}, {Header: "Beginn", Width: 12}, {Header: "Ende", Width: 12},
		{Header: "Mitglieder", Width: 70}, {Header: "Rechtsgrundlagen", Width: 30},
		{Header: "Kündigungsfrist (Monate)", Width: 12}, {Header: "Umsatzsteuer", Width: 26},
		{Header: "Vergaberechtsfrei", Width: 10},
	}
	statsExportColumns = []export.Column{{Header: "Status", Width: 18}, {Header: "Anzahl", Width: 10},
		{Header: "Einwohner versorgt", Width: 14}}
)

// withMoney appends the money columns (the amounts, then the amounts per inhabitant
// served) when finance may be shown.
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
		export.Int(p.PopulationServed),
	}
	if finance {
		amounts := []*coop.Cents{p.Finance.BudgetPlanned, p.Finance.CostActual, p.Finance.SavingsEstimated}
		for _, a := range amounts {
			cells = append(cells, export.Money(a))
		}
		for _, a := range amounts {
			cells = append(cells, perInhabitantCell(a, p.PopulationServed))
		}
	}
	return cells
}

// perInhabitantCell is an amount divided by the population served, rounded half away
// from zero to the cent as the statistics' cost_per_inhabitant; empty without either.
func perInhabitantCell(amount *coop.Cents, population *int64) export.Cell {
	if amount == nil || population == nil {
		return export.Cell{}
	}
	if v, ok := amount.Sum().PerHeadSum(*population); ok {
		return export.MoneySum(v)
	}
	return export.Cell{}
}

// partnerCells is a partner's row; reg (nil if unreadable) gives the population and
// area of its unit or of the regions it serves, as the API's partner shows them.
func partnerCells(p coop.Partner, reg *region.Register) []export.Cell {
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
	cells := []export.Cell{
		export.Text(p.Slug), export.Text(p.Name), export.Text(p.ShortName), export.Text(coop.PartnerTypes.LabelDE(p.Type)),
		export.Text(parent), export.Text(p.LegalForm), export.Text(p.AGS), export.Text(p.ARS),
		export.Text(coop.States.LabelDE(p.State)), export.Text(p.LeitwegID), export.Text(p.Website), export.Text(p.Email),
		export.Text(p.Address.Street), export.Text(p.Address.PostalCode), export.Text(p.Address.City),
		export.Int(count), export.Date(asOf), export.Text(strings.Join(p.Serves, "; ")),
	}
	if reg == nil {
		return cells
	}
	if f, ok := partnerFiguresOf(p, reg); ok {
		asOf, _ := coop.ParsePartialDate(reg.Source.PopulationAsOf)
		cells = append(cells, export.Int(&f.population), export.Date(asOf), export.Hundredths(&f.areaHa))
	}
	return cells
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
// then the total, with the population served and, with finance, the sums and the sums
// per inhabitant (as the statistics' cost_per_inhabitant: empty where no project has
// the amount or no one is served).
func statsSheet(st coop.Stats, finance bool) ([]export.Column, [][]export.Cell) {
	row := func(label string, n int64, population int64, sums coop.Sums) []export.Cell {
		cells := []export.Cell{export.Text(label), export.Int(&n), export.Int(&population)}
		if finance {
			names := []string{"budget_planned", "cost_actual", "savings_estimated"}
			for _, name := range names {
				sum, _, _ := sums.Amount(name)
				cells = append(cells, export.MoneySum(sum))
			}
			for _, name := range names {
				sum, with, _ := sums.Amount(name)
				per, ok := sum.PerHeadSum(population)
				if !ok || with == 0 {
					cells = append(cells, export.Cell{})
					continue
				}
				cells = append(cells, export.MoneySum(per))
			}
		}
		return cells
	}
	rows := make([][]export.Cell, 0, len(st.Groups)+1)
	for _, g := range st.Groups {
		rows = append(rows, row(g.Label, g.Count, g.PopulationServed, g.Sums))
	}
	rows = append(rows, row("Summe", st.Total.Count, st.Total.PopulationServed, st.Total.Sums))
	return withMoney(statsExportColumns, finance), rows
}
