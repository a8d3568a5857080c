package web

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/export"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// registerControlling adds the controlling dashboard and the XLSX of each chart.
func (s *Site) registerControlling(get func(string, handler)) {
	get("/controlling", s.handleDashboard)
	get("/controlling/daten.xlsx", s.handleDashboardXLSX)
}

// dashboardData is what the dashboard computes: six queries of the statistics service,
// whatever the number of projects.
type dashboardData struct {
	Status, Category, Year, Partner coop.Stats
	LeadTimes                       coop.LeadTimes
	Timeline                        coop.Timeline
	Interval                        string
}

// table is one chart's data as the page and the XLSX show it.
type table struct {
	Key     string // chart name in URLs (?chart=…)
	Title   string
	Columns []string
	Numeric []bool
	Rows    [][]export.Cell
	Text    [][]string // the cells as the page shows them
	Chart   template.HTML
	Hint    string // coverage: what the figures do not include
	XLSX    string // URL of the table as an Excel workbook, with the page's filters
}

type dashboardPage struct {
	Query     projectQuery
	Partners  []coop.Partner
	Tables    []table
	Total     int64
	Statuses  coop.Enum
	Categorys coop.Enum
}

// requireControlling lets controlling and admin in.
func (r *request) requireControlling() error {
	if auth.CanSeeFinance(r.p) {
		return nil
	}
	if r.p == nil {
		return errSignIn
	}
	return coop.Errorf(coop.EForbidden, "%s", r.T("Das Controlling ist der Rolle Controlling und der Administration vorbehalten."))
}

func (s *Site) dashboardData(c echo.Context, f coop.ProjectFilter) (dashboardData, error) {
	ctx := c.Request().Context()
	var d dashboardData
	var err error
	for by, dst := range map[string]*coop.Stats{"status": &d.Status, "category": &d.Category, "year": &d.Year, "partner": &d.Partner} {
		if *dst, err = s.svc.ProjectStats(ctx, coop.StatsQuery{Filter: f, GroupBy: by}); err != nil {
			return d, err
		}
	}
	if d.LeadTimes, err = s.svc.LeadTimes(ctx, coop.LeadTimeQuery{Filter: f, GroupBy: "category"}); err != nil {
		return d, err
	}
	from, to := yearRange(d.Year)
	d.Interval = "year"
	if to-from < 3 {
		d.Interval = "quarter"
	}
	d.Timeline, err = s.svc.Timeline(ctx, coop.TimelineQuery{Filter: f, Interval: d.Interval,
		From: coop.PartialDate{Year: from}, To: coop.PartialDate{Year: to}})
	return d, err
}

// yearRange is the span of the timeline: from the first start year to this year.
func yearRange(years coop.Stats) (int, int) {
	now := time.Now().Year()
	from := now
	for _, g := range years.Groups {
		if y, err := strconv.Atoi(g.Key); err == nil && y < from && y > now-100 {
			from = y
		}
	}
	return from, now
}

func (s *Site) handleDashboard(c echo.Context, r *request) error {
	if err := r.requireControlling(); err != nil {
		return err
	}
	pq := parseProjectQuery(c.QueryParams(), r.T)
	d := dashboardPage{Query: pq, Statuses: coop.ProjectStatuses, Categorys: coop.ProjectCategories}
	status := http.StatusOK
	if len(pq.Errors) > 0 {
		status = http.StatusBadRequest
	} else {
		data, err := s.dashboardData(c, pq.filter(0))
		if err != nil {
			return err
		}
		d.Tables = r.tables(data, maxPagePartners)
		d.Total = data.Status.Total.Count
		for i := range d.Tables {
			q := pq.filterValues()
			q.Set("chart", d.Tables[i].Key)
			d.Tables[i].XLSX = r.url("/controlling/daten.xlsx") + "?" + q.Encode()
		}
	}
	partners, err := s.filterPartners(c.Request().Context())
	if err != nil {
		return err
	}
	d.Partners = partners
	return r.render(status, "dashboard", r.T("Controlling"), d)
}

// handleDashboardXLSX downloads one chart's table as an Excel workbook.
func (s *Site) handleDashboardXLSX(c echo.Context, r *request) error {
	if err := r.requireControlling(); err != nil {
		return err
	}
	pq := parseProjectQuery(c.QueryParams(), r.T)
	if len(pq.Errors) > 0 {
		return coop.Errorf(coop.EInvalid, "%s", r.T("Ungültige Filter"))
	}
	data, err := s.dashboardData(c, pq.filter(0))
	if err != nil {
		return err
	}
	want := c.QueryParam("chart")
	tables := r.tables(data, 0)
	i := slices.IndexFunc(tables, func(t table) bool { return t.Key == want })
	if i < 0 {
		return coop.Errorf(coop.ENotFound, "%s", r.T("Unbekannte Auswertung"))
	}
	t := tables[i]
	cols := make([]export.Column, len(t.Columns))
	for j, h := range t.Columns {
		cols[j] = export.Column{Header: h, Width: 22}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	file := "ikz-controlling-" + t.Key + ".xlsx"
	if httpapi.IsDemo(c) {
		file = "ikz-demo-controlling-" + t.Key + ".xlsx"
	}
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+file+`"`)
	h.Set("Cache-Control", "private, no-store")
	x, err := export.NewXLSX(c.Response(), sheetName(t.Title), cols)
	if err != nil {
		return err
	}
	if httpapi.IsDemo(c) {
		if err := x.MarkDemo(); err != nil {
			_ = x.Discard()
			return err
		}
	}
	for _, row := range t.Rows {
		if err := x.WriteRow(row); err != nil {
			return err
		}
	}
	c.Response().WriteHeader(http.StatusOK)
	return x.Close()
}

// maxPagePartners is how many partners the dashboard page shows by partner.
const maxPagePartners = 25

// topGroups keeps the top groups of st with the most projects (ties by key), in
// st's order; top 0 keeps all.
func topGroups(st coop.Stats, top int) coop.Stats {
	if top <= 0 || len(st.Groups) <= top {
		return st
	}
	ranked := slices.Clone(st.Groups)
	slices.SortStableFunc(ranked, func(a, b coop.StatsGroup) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
	})
	keep := map[string]bool{}
	for _, g := range ranked[:top] {
		keep[g.Key] = true
	}
	st.Groups = slices.DeleteFunc(slices.Clone(st.Groups), func(g coop.StatsGroup) bool { return !keep[g.Key] })
	return st
}

// sheetName fits a title into Excel's 31 characters without []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, s)
	return clip(s, 31)
}

// tables turns the figures into the dashboard's charts with their tables.
//
// With top > 0 the table by partner shows only the top partners with the most
// projects, and says so: a directory of 800 partners would draw 2,400 bars no one can
// read and make the page several times as costly as its data (BenchmarkPages); the
// Excel download (top 0) has them all.
func (r *request) tables(d dashboardData, top int) []table {
	counts := func(key, title, desc string, st coop.Stats, label func(coop.StatsGroup) string) table {
		t := table{Key: key, Title: r.T(title), Columns: []string{r.T("Gruppe"), r.T("Vorhaben")}, Numeric: []bool{false, true}}
		ch := chart{ID: "c-" + key, Title: t.Title, Desc: r.T(desc), Series: []string{r.T("Vorhaben")}}
		for _, g := range st.Groups {
			n := g.Count
			t.Rows = append(t.Rows, []export.Cell{export.Text(label(g)), export.Int(&n)})
			t.Text = append(t.Text, []string{label(g), formatInt(r.lang, n)})
			ch.Rows = append(ch.Rows, chartRow{Label: label(g), Values: []float64{float64(n)}, Texts: []string{formatInt(r.lang, n)}})
		}
		t.Chart = ch.svg()
		return t
	}
	money := func(key, title, desc string, st coop.Stats, label func(coop.StatsGroup) string) table {
		series := []string{r.T("Budget geplant"), r.T("Kosten ist"), r.T("Einsparung geschätzt")}
		t := table{Key: key, Title: r.T(title), Columns: append([]string{r.T("Gruppe"), r.T("Vorhaben"), r.T("davon mit Beträgen")}, series...),
			Numeric: []bool{false, true, true, true, true, true}}
		ch := chart{ID: "c-" + key, Title: t.Title, Desc: r.T(desc), Series: series}
		for _, g := range st.Groups {
			n, with := g.Count, g.With.Finance
			row := []export.Cell{export.Text(label(g)), export.Int(&n), export.Int(&with)}
			text := []string{label(g), formatInt(r.lang, n), formatInt(r.lang, with)}
			cr := chartRow{Label: label(g)}
			for _, a := range coop.Amounts {
				s, have, _ := g.Amount(a)
				if have == 0 {
					// no project of the group has the amount: unknown, not 0
					row = append(row, export.Cell{})
					text = append(text, "–")
					cr.Values = append(cr.Values, 0)
					cr.Texts = append(cr.Texts, r.T("nicht erfasst"))
					continue
				}
				row = append(row, export.MoneySum(s))
				text = append(text, formatSum(r.lang, s))
				v, _ := strconv.ParseFloat(s.String(), 64)
				cr.Values = append(cr.Values, v)
				cr.Texts = append(cr.Texts, formatSum(r.lang, s))
			}
			t.Rows, t.Text, ch.Rows = append(t.Rows, row), append(t.Text, text), append(ch.Rows, cr)
		}
		t.Chart = ch.svg()
		t.Hint = r.coverage(st)
		return t
	}
	status := func(g coop.StatsGroup) string { return label(r.lang, "status", g.Key) }
	category := func(g coop.StatsGroup) string { return label(r.lang, "category", g.Key) }
	plain := func(g coop.StatsGroup) string {
		if g.Key == coop.UnknownKey {
			return label(r.lang, "", g.Key)
		}
		if g.Label != "" && g.Label != g.Key {
			return g.Label
		}
		return g.Key
	}
	out := []table{
		counts("status", "Vorhaben nach Status", "Anzahl der Vorhaben je Status", d.Status, status),
		counts("category", "Vorhaben nach Kategorie", "Anzahl der Vorhaben je Kategorie", d.Category, category),
		counts("year", "Begonnene Vorhaben je Jahr", "Anzahl der Vorhaben nach dem Jahr ihres Beginns", d.Year, plain),
		money("money-category", "Budget, Kosten und Einsparung je Kategorie", "Geplantes Budget, Ist-Kosten und geschätzte Einsparung in Euro je Kategorie", d.Category, category),
		money("money-partner", "Budget, Kosten und Einsparung je Partner", "Geplantes Budget, Ist-Kosten und geschätzte Einsparung in Euro je beteiligtem Partner", topGroups(d.Partner, top), plain),
		money("money-year", "Budget, Kosten und Einsparung je Jahr", "Geplantes Budget, Ist-Kosten und geschätzte Einsparung in Euro nach dem Jahr des Beginns", d.Year, plain),
	}
	if all := len(d.Partner.Groups); top > 0 && all > top {
		for i := range out {
			if out[i].Key == "money-partner" {
				out[i].Hint = strings.TrimSpace(out[i].Hint + " " + fmt.Sprintf(r.T("Die %d Partner mit den meisten Vorhaben von %d; alle in der Excel-Datei."), top, all))
			}
		}
	}
	// lead times: median and 90th percentile per category
	lt := table{Key: "lead-times", Title: r.T("Umsetzungsdauer (In Umsetzung → In Betrieb)"),
		Columns: []string{r.T("Kategorie"), r.T("Vorhaben"), r.T("Median (Tage)"), r.T("90. Perzentil (Tage)")}, Numeric: []bool{false, true, true, true}}
	ltc := chart{ID: "c-lead-times", Title: lt.Title, Desc: r.T("Tage vom Beginn der Umsetzung bis zum Betrieb: Median und 90. Perzentil je Kategorie"),
		Series: []string{r.T("Median (Tage)"), r.T("90. Perzentil (Tage)")}}
	for _, g := range d.LeadTimes.Groups {
		n, med, p90 := int64(g.Count), int64(g.MedianDays), int64(g.P90Days)
		name := label(r.lang, "category", g.Key)
		lt.Rows = append(lt.Rows, []export.Cell{export.Text(name), export.Int(&n), export.Int(&med), export.Int(&p90)})
		lt.Text = append(lt.Text, []string{name, formatInt(r.lang, n), formatInt(r.lang, med), formatInt(r.lang, p90)})
		ltc.Rows = append(ltc.Rows, chartRow{Label: name, Values: []float64{float64(med), float64(p90)},
			Texts: []string{formatInt(r.lang, med), formatInt(r.lang, p90)}})
	}
	if len(lt.Rows) == 0 {
		lt.Hint = r.T("Kein Vorhaben hat schon beide Daten (Beginn der Umsetzung und Inbetriebnahme) im Statusverlauf.")
	}
	lt.Chart = ltc.svg()
	out = append(out, lt)
	// the portfolio over time: projects per status at the end of each period
	tl := table{Key: "timeline", Title: r.T("Portfolio im Zeitverlauf"), Columns: []string{r.T("Zeitraum")}, Numeric: []bool{false}}
	tlc := chart{ID: "c-timeline", Title: tl.Title, Desc: r.T("Anzahl der Vorhaben je Status am Ende jedes Zeitraums, gestapelt"), Stacked: true}
	used := []string{}
	for _, code := range coop.ProjectStatuses.Codes() {
		for _, p := range d.Timeline.Periods {
			if p.Counts[code] > 0 {
				used = append(used, code)
				break
			}
		}
	}
	for _, code := range used {
		tl.Columns = append(tl.Columns, label(r.lang, "status", code))
		tl.Numeric = append(tl.Numeric, true)
		tlc.Series = append(tlc.Series, label(r.lang, "status", code))
	}
	for _, p := range d.Timeline.Periods {
		row := []export.Cell{export.Text(p.Name)}
		text := []string{p.Name}
		cr := chartRow{Label: p.Name}
		for _, code := range used {
			n := p.Counts[code]
			row = append(row, export.Int(&n))
			text = append(text, formatInt(r.lang, n))
			cr.Values = append(cr.Values, float64(n))
			cr.Texts = append(cr.Texts, formatInt(r.lang, n))
		}
		tl.Rows, tl.Text, tlc.Rows = append(tl.Rows, row), append(tl.Text, text), append(tlc.Rows, cr)
	}
	tl.Chart = tlc.svg()
	return append(out, tl)
}

// coverage says how many of the selected projects each sum leaves out ("3 von 6
// Vorhaben ohne Budget"), from the statistics' counts of the projects that have each
// amount, instead of a silent zero; "" when every project has every amount.
func (r *request) coverage(st coop.Stats) string {
	total := st.Total.Count
	if total == 0 {
		return ""
	}
	var parts []string
	for _, a := range []struct{ name, text string }{
		{"budget_planned", "%s von %s Vorhaben ohne Budget"},
		{"cost_actual", "%s von %s Vorhaben ohne Ist-Kosten"},
		{"savings_estimated", "%s von %s Vorhaben ohne geschätzte Einsparung"},
	} {
		if _, with, _ := st.Total.Amount(a.name); with < total {
			parts = append(parts, r.Tf(a.text, formatInt(r.lang, total-with), formatInt(r.lang, total)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "; ") + ". " + r.T("Fehlende Beträge zählen in den Summen nicht; „–“ heißt: in dieser Gruppe ist kein Betrag erfasst.")
}

// Tf translates a format and fills it in.
func (r *request) Tf(format string, args ...any) string {
	return fmt.Sprintf(r.T(format), args...)
}

// formatSum writes an exact sum as 1.234,56 € or €1,234.56.
func formatSum(lang string, s coop.Sum) string {
	str := s.String()
	sign := ""
	if strings.HasPrefix(str, "-") {
		sign, str = "-", str[1:]
	}
	whole, frac, _ := strings.Cut(str, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return sign + str + " €"
	}
	if lang == langEN {
		return sign + "€" + group(n, ",") + "." + frac
	}
	return sign + group(n, ".") + "," + frac + "\u00a0€"
}
