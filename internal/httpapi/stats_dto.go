package httpapi

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Money is a money sum as the statistics show it: absent (the zero value: the caller
// may not see money), null (no project of the set has the amount, so the sum is
// unknown, not 0) or a decimal string with two fraction digits. omitzero leaves the
// zero value out; a shown unknown sum is written as null.
type Money struct {
	shown bool
	v     *string
}

// IsZero reports whether the sum is not shown (omitzero).
func (m Money) IsZero() bool { return !m.shown }

// MarshalJSON writes the decimal string or null.
func (m Money) MarshalJSON() ([]byte, error) {
	if m.v == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*m.v)
}

// StatsSums are the money sums of a set of projects and how many of them have each
// amount. All keys are present for the controlling and admin roles and absent for
// everyone else; a sum over projects none of which has the amount is null.
type StatsSums struct {
	// sum of budget_planned (EUR); null when no project of the set has one (controlling and admin only: absent otherwise)
	BudgetPlanned Money `json:"budget_planned,omitzero" binding:"optional" swaggertype:"string" example:"125000.00" extensions:"x-nullable,x-pattern=^-?\\d+\\.\\d{2}$"`
	// sum of cost_actual (EUR); null when no project of the set has one (controlling and admin only: absent otherwise)
	CostActual Money `json:"cost_actual,omitzero" binding:"optional" swaggertype:"string" example:"98000.50" extensions:"x-nullable,x-pattern=^-?\\d+\\.\\d{2}$"`
	// sum of savings_estimated (EUR); null when no project of the set has one (controlling and admin only: absent otherwise)
	SavingsEstimated Money `json:"savings_estimated,omitzero" binding:"optional" swaggertype:"string" example:"40000.00" extensions:"x-nullable,x-pattern=^-?\\d+\\.\\d{2}$"`
	// projects of the set with at least one amount (controlling and admin only)
	WithFinance *int64 `json:"with_finance,omitempty" example:"2" minimum:"0"`
	// projects of the set with budget_planned (controlling and admin only)
	WithBudgetPlanned *int64 `json:"with_budget_planned,omitempty" example:"2" minimum:"0"`
	// projects of the set with cost_actual (controlling and admin only)
	WithCostActual *int64 `json:"with_cost_actual,omitempty" example:"1" minimum:"0"`
	// projects of the set with savings_estimated (controlling and admin only)
	WithSavingsEstimated *int64 `json:"with_savings_estimated,omitempty" example:"1" minimum:"0"`
} // @name StatsSums

// StatsGroup is one group of the project statistics. The money sums and their coverage
// are present only for the controlling and admin roles.
type StatsGroup struct {
	// the code, the partner's slug, the state (ISO 3166-2) or the year; "unknown" when not known
	Key string `json:"key" example:"operational"`
	// German label (the same as label_de)
	Label string `json:"label" example:"In Betrieb"`
	// German label
	LabelDE string `json:"label_de" example:"In Betrieb"`
	// English label (a partner's name and a year as in German)
	LabelEN string `json:"label_en" example:"Operational"`
	// number of projects in the group
	Count int64 `json:"count" example:"3"`
	StatsSums
	PerInhabitant
} // @name StatsGroup

// PerInhabitant is the population served by a set of projects and their money per
// inhabitant.
type PerInhabitant struct {
	// inhabitants of the distinct regions of the projects' participants (their own unit in the register, the regions they serve, or their parent's), each counted once: a district and one of its municipalities count as the district
	PopulationServed int64 `json:"population_served" example:"315293" minimum:"0"`
	// cost_actual ÷ population_served in EUR, rounded to the cent; null without a population or a cost (controlling and admin only: absent otherwise)
	CostPerInhabitant Money `json:"cost_per_inhabitant,omitzero" binding:"optional" swaggertype:"string" example:"0.31" extensions:"x-nullable,x-pattern=^-?\\d+\\.\\d{2}$"`
	// budget_planned ÷ population_served in EUR, as cost_per_inhabitant
	BudgetPerInhabitant Money `json:"budget_per_inhabitant,omitzero" binding:"optional" swaggertype:"string" example:"0.40" extensions:"x-nullable,x-pattern=^-?\\d+\\.\\d{2}$"`
	// savings_estimated ÷ population_served in EUR, as cost_per_inhabitant
	SavingsPerInhabitant Money `json:"savings_per_inhabitant,omitzero" binding:"optional" swaggertype:"string" example:"0.13" extensions:"x-nullable,x-pattern=^-?\\d+\\.\\d{2}$"`
}

// StatsTotal counts every selected project once.
type StatsTotal struct {
	// number of projects
	Count int64 `json:"count" example:"6"`
	StatsSums
	PerInhabitant
} // @name StatsTotal

// ProjectStats are project counts and money sums by group, with the total.
type ProjectStats struct {
	Groups []StatsGroup `json:"groups"`
	Total  StatsTotal   `json:"total"`
} // @name ProjectStats

// TimelinePeriod is one period of the timeline.
type TimelinePeriod struct {
	// "2017", "2017-Q1" or "2017-03"
	Period string `json:"period" example:"2017-Q1"`
	// first day
	Start string `json:"start" format:"date" example:"2017-01-01"`
	// last day
	End string `json:"end" format:"date" example:"2017-03-31"`
	// number of projects in each status at the end of the period (every status, 0 included)
	Counts map[string]int64 `json:"counts" example:"planned:1,operational:2"`
	// with sums=true, for controlling and admin: for each status, the money of the projects in it at the end of the period (today's amounts; amounts have no history)
	Sums map[string]StatsSums `json:"sums,omitempty"`
} // @name TimelinePeriod

// Timeline is the number of projects per status at the end of each period.
type Timeline struct {
	Periods []TimelinePeriod `json:"periods"`
} // @name Timeline

// LeadTimeGroup summarises the lead times (days from entering in_progress to entering
// operational) of one group.
type LeadTimeGroup struct {
	// the category code or the partner's slug
	Key string `json:"key" example:"archiving"`
	// German label (the same as label_de)
	Label string `json:"label" example:"Archivierung"`
	// German label
	LabelDE string `json:"label_de" example:"Archivierung"`
	// English label (a partner's name as in German)
	LabelEN string `json:"label_en" example:"Archiving"`
	// projects with a lead time
	Count int `json:"count" example:"4"`
	// median in days (nearest rank; the lower middle value for an even count)
	MedianDays int `json:"median_days" example:"212"`
	// 90th percentile in days (nearest rank)
	P90Days int `json:"p90_days" example:"365"`
} // @name LeadTimeGroup

// LeadTimes are the lead times by group.
type LeadTimes struct {
	Groups []LeadTimeGroup `json:"groups"`
} // @name LeadTimes

// sumsOut shows the sums and their coverage when finance may be shown: a sum over
// projects none of which has the amount is null.
func sumsOut(sums coop.Sums, finance bool) StatsSums {
	if !finance {
		return StatsSums{}
	}
	var out StatsSums
	for _, a := range []struct {
		name string
		to   *Money
		with **int64
	}{{"budget_planned", &out.BudgetPlanned, &out.WithBudgetPlanned}, {"cost_actual", &out.CostActual, &out.WithCostActual},
		{"savings_estimated", &out.SavingsEstimated, &out.WithSavingsEstimated}} {
		sum, with, _ := sums.Amount(a.name)
		*a.to = Money{shown: true}
		if with > 0 {
			v := sum.String()
			a.to.v = &v
		}
		*a.with = &with
	}
	n := sums.With.Finance
	out.WithFinance = &n
	return out
}

func statsOut(st coop.Stats, finance bool) ProjectStats {
	out := ProjectStats{Groups: make([]StatsGroup, len(st.Groups)),
		Total: StatsTotal{Count: st.Total.Count, StatsSums: sumsOut(st.Total.Sums, finance),
			PerInhabitant: perInhabitantOut(st.Total.Sums, st.Total.PopulationServed, finance)}}
	for i, g := range st.Groups {
		out.Groups[i] = StatsGroup{Key: g.Key, Label: g.Label, LabelDE: g.Label, LabelEN: g.LabelEN, Count: g.Count,
			StatsSums: sumsOut(g.Sums, finance), PerInhabitant: perInhabitantOut(g.Sums, g.PopulationServed, finance)}
	}
	return out
}

// perInhabitantOut is the population served and, when finance may be shown, each sum
// per inhabitant: null when no project has the amount or no one is served.
func perInhabitantOut(sums coop.Sums, population int64, finance bool) PerInhabitant {
	out := PerInhabitant{PopulationServed: population}
	if !finance {
		return out
	}
	for _, a := range []struct {
		name string
		to   *Money
	}{{"cost_actual", &out.CostPerInhabitant}, {"budget_planned", &out.BudgetPerInhabitant},
		{"savings_estimated", &out.SavingsPerInhabitant}} {
		*a.to = Money{shown: true}
		sum, with, _ := sums.Amount(a.name)
		if v, ok := sum.PerHead(population); ok && with > 0 {
			a.to.v = &v
		}
	}
	return out
}

// timelineOut shapes the timeline; Sums is empty unless asked for and finance may be
// shown.
func timelineOut(tl coop.Timeline, finance bool) Timeline {
	out := Timeline{Periods: make([]TimelinePeriod, len(tl.Periods))}
	for i, p := range tl.Periods {
		o := TimelinePeriod{Period: p.Name, Start: p.Start.Format("2006-01-02"),
			End: p.End.Format("2006-01-02"), Counts: p.Counts}
		if finance && p.Sums != nil {
			o.Sums = make(map[string]StatsSums, len(p.Sums))
			for st, sums := range p.Sums {
				o.Sums[st] = sumsOut(sums, true)
			}
		}
		out.Periods[i] = o
	}
	return out
}

func leadTimesOut(lt coop.LeadTimes) LeadTimes {
	out := LeadTimes{Groups: make([]LeadTimeGroup, len(lt.Groups))}
	for i, g := range lt.Groups {
		out.Groups[i] = LeadTimeGroup{Key: g.Key, Label: g.Label, LabelDE: g.Label, LabelEN: g.LabelEN, Count: g.Count,
			MedianDays: g.MedianDays, P90Days: g.P90Days}
	}
	return out
}

// withoutParams returns names without the dropped ones.
func withoutParams(names []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return slices.Contains(drop, n) })
}

// splitQuery checks that the query names only the collection's filters (filters) and
// the endpoint's own parameters (own), and splits the own ones off: it returns their
// values and a context whose query holds only the filters, for the collection's filter
// reader (projectFilter, partnerFilter, cooperationFilter).
func (s *Server) splitQuery(c echo.Context, filters []string, own ...string) (url.Values, echo.Context, error) {
	q := newQuery(c)
	q.known(append(slices.Clone(filters), own...)...)
	if q.err != nil {
		return nil, nil, q.err
	}
	mine, rest := url.Values{}, url.Values{}
	for k, v := range q.v {
		if slices.Contains(own, k) {
			mine[k] = v
		} else {
			rest[k] = v
		}
	}
	r := c.Request().WithContext(c.Request().Context())
	u := *r.URL
	u.RawQuery = rest.Encode()
	r.URL = &u
	return mine, s.echo.NewContext(r, c.Response()), nil
}

// choice checks the value s of parameter name against allowed; "" gives def.
func choice(s, name, def string, allowed []string) (string, error) {
	if s == "" {
		return def, nil
	}
	if !slices.Contains(allowed, s) {
		return "", badRequest("%s: unbekannter Wert %q; erlaubt: %s / unknown value %[2]q; allowed: %[3]s", name, s, strings.Join(allowed, ", "))
	}
	return s, nil
}
