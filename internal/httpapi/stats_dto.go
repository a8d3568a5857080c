package httpapi

import (
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// StatsGroup is one group of the project statistics. The money sums are present only
// for the controlling and admin roles.
type StatsGroup struct {
	// the code, the partner's slug, the state (ISO 3166-2) or the year; "unknown" when not known
	Key string `json:"key" example:"operational"`
	// German label
	Label string `json:"label" example:"In Betrieb"`
	// number of projects in the group
	Count int64 `json:"count" example:"3"`
	// sum of budget_planned (EUR; controlling and admin only)
	BudgetPlanned *string `json:"budget_planned,omitempty" example:"125000.00" pattern:"^-?\\d+\\.\\d{2}$"`
	// sum of cost_actual (EUR; controlling and admin only)
	CostActual *string `json:"cost_actual,omitempty" example:"98000.50" pattern:"^-?\\d+\\.\\d{2}$"`
	// sum of savings_estimated (EUR; controlling and admin only)
	SavingsEstimated *string `json:"savings_estimated,omitempty" example:"40000.00" pattern:"^-?\\d+\\.\\d{2}$"`
} // @name StatsGroup

// StatsTotal counts every selected project once.
type StatsTotal struct {
	// number of projects
	Count int64 `json:"count" example:"6"`
	// sum of budget_planned (EUR; controlling and admin only)
	BudgetPlanned *string `json:"budget_planned,omitempty" example:"125000.00" pattern:"^-?\\d+\\.\\d{2}$"`
	// sum of cost_actual (EUR; controlling and admin only)
	CostActual *string `json:"cost_actual,omitempty" example:"98000.50" pattern:"^-?\\d+\\.\\d{2}$"`
	// sum of savings_estimated (EUR; controlling and admin only)
	SavingsEstimated *string `json:"savings_estimated,omitempty" example:"40000.00" pattern:"^-?\\d+\\.\\d{2}$"`
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
	// German label
	Label string `json:"label" example:"Archivierung"`
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

// moneyOut formats the sums into the three fields when finance may be shown.
func moneyOut(sums coop.Sums, finance bool) (budget, cost, savings *string) {
	if !finance {
		return nil, nil, nil
	}
	str := func(s coop.Sum) *string { v := s.String(); return &v }
	return str(sums.BudgetPlanned), str(sums.CostActual), str(sums.SavingsEstimated)
}

func statsOut(st coop.Stats, finance bool) ProjectStats {
	out := ProjectStats{Groups: make([]StatsGroup, len(st.Groups)), Total: StatsTotal{Count: st.Total.Count}}
	out.Total.BudgetPlanned, out.Total.CostActual, out.Total.SavingsEstimated = moneyOut(st.Total.Sums, finance)
	for i, g := range st.Groups {
		o := StatsGroup{Key: g.Key, Label: g.Label, Count: g.Count}
		o.BudgetPlanned, o.CostActual, o.SavingsEstimated = moneyOut(g.Sums, finance)
		out.Groups[i] = o
	}
	return out
}

func timelineOut(tl coop.Timeline) Timeline {
	out := Timeline{Periods: make([]TimelinePeriod, len(tl.Periods))}
	for i, p := range tl.Periods {
		out.Periods[i] = TimelinePeriod{Period: p.Name, Start: p.Start.Format("2006-01-02"),
			End: p.End.Format("2006-01-02"), Counts: p.Counts}
	}
	return out
}

func leadTimesOut(lt coop.LeadTimes) LeadTimes {
	out := LeadTimes{Groups: make([]LeadTimeGroup, len(lt.Groups))}
	for i, g := range lt.Groups {
		out.Groups[i] = LeadTimeGroup{Key: g.Key, Label: g.Label, Count: g.Count, MedianDays: g.MedianDays, P90Days: g.P90Days}
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
		return "", badRequest("%s: unbekannter Wert %q; erlaubt: %s", name, s, strings.Join(allowed, ", "))
	}
	return s, nil
}
