package coop

import (
	"context"
	"fmt"
	"time"
)

// Groupings of the project statistics (StatsQuery.GroupBy).
var StatsGroupings = []string{"status", "category", "partner", "role", "state", "year"}

// LeadTimeGroupings of the lead-time statistics (LeadTimeQuery.GroupBy).
var LeadTimeGroupings = []string{"category", "partner"}

// Timeline intervals (TimelineQuery.Interval).
var TimelineIntervals = []string{"month", "quarter", "year"}

// MaxTimelinePeriods bounds a timeline: more periods are an EInvalid error.
const MaxTimelinePeriods = 600

// UnknownKey is the group key of projects whose grouping value is not known (no
// started_on for "year", no state for "state"); its label is "unbekannt".
const UnknownKey = "unknown"

// StatsQuery asks for project counts and money sums of the projects Filter selects
// (its paging is ignored; AsOf takes the statuses as they stood then), grouped by one
// of StatsGroupings.
type StatsQuery struct {
	Filter  ProjectFilter
	GroupBy string
}

// Sums are the money sums of a set of projects, exact whatever their size; a project
// without a value adds 0. Whether a sum is known at all is With's to say.
type Sums struct {
	BudgetPlanned    Sum
	CostActual       Sum
	SavingsEstimated Sum
	// With counts the projects that have each amount: a sum over none is unknown,
	// not 0.
	With Coverage
}

// Coverage counts, among a set of projects, those that have each amount, and those
// that have any (Finance).
type Coverage struct {
	Finance, BudgetPlanned, CostActual, SavingsEstimated int64
}

// Plus returns the coverage of two disjoint sets together.
func (c Coverage) Plus(d Coverage) Coverage {
	return Coverage{Finance: c.Finance + d.Finance, BudgetPlanned: c.BudgetPlanned + d.BudgetPlanned,
		CostActual: c.CostActual + d.CostActual, SavingsEstimated: c.SavingsEstimated + d.SavingsEstimated}
}

// Plus returns the sums of two disjoint sets of projects together.
func (s Sums) Plus(t Sums) Sums {
	return Sums{BudgetPlanned: s.BudgetPlanned.Plus(t.BudgetPlanned), CostActual: s.CostActual.Plus(t.CostActual),
		SavingsEstimated: s.SavingsEstimated.Plus(t.SavingsEstimated), With: s.With.Plus(t.With)}
}

// Amounts are the names of the money amounts of a project, as the API names them.
var Amounts = []string{"budget_planned", "cost_actual", "savings_estimated"}

// Amount returns the sum of the amount named (one of Amounts) and how many projects
// have it; ok is false for another name.
func (s Sums) Amount(name string) (sum Sum, with int64, ok bool) {
	switch name {
	case "budget_planned":
		return s.BudgetPlanned, s.With.BudgetPlanned, true
	case "cost_actual":
		return s.CostActual, s.With.CostActual, true
	case "savings_estimated":
		return s.SavingsEstimated, s.With.SavingsEstimated, true
	}
	return Sum{}, 0, false
}

// StatsGroup is one group of the project statistics: Key is the code, the partner's
// slug, the state code or the year (UnknownKey when unknown), Label its German name
// and LabelEN its English one (a partner's name and a year are both).
type StatsGroup struct {
	Key     string
	Label   string
	LabelEN string
	Count   int64
	Sums
	// PopulationServed is the number of inhabitants of the distinct regions of the
	// group's projects' participants (PopulationOf).
	PopulationServed int64
}

// Stats are the groups and the total over all selected projects. A project counts once
// in the total but in every group it belongs to (e.g. once per participating partner).
type Stats struct {
	Groups []StatsGroup
	Total  StatsTotal
}

// StatsTotal counts every selected project once, with its sums.
type StatsTotal struct {
	Count int64
	Sums
	PopulationServed int64
}

// TimelineQuery asks, for each period of Interval from the period containing From to
// the one containing To, how many of the projects Filter selects were in each status
// at the period's end, and with Sums their money. A zero From or To stands for the
// data's range: the earliest or latest dated history entry of the selected projects
// (the current month when they have none); a defaulted end never lies before the other
// end given.
type TimelineQuery struct {
	Filter   ProjectFilter
	From, To PartialDate
	Interval string
	Sums     bool
}

// Period is one period of a timeline: Name is "2017", "2017-Q1" or "2017-03"; Start
// and End are its first and last day; Counts maps each project status to the number of
// projects in it at the end of End, and Sums (asked for with TimelineQuery.Sums) to
// their money: today's amounts of the projects in that status then (amounts have no
// history).
type Period struct {
	Name       string
	Start, End time.Time
	Counts     map[string]int64
	Sums       map[string]Sums
}

// Timeline is the periods of a TimelineQuery in order.
type Timeline struct {
	Periods []Period
}

// LeadTimeQuery asks for the lead times (days from first entering in_progress to the
// first following entry into operational) of the projects Filter selects, grouped by
// one of LeadTimeGroupings.
type LeadTimeQuery struct {
	Filter  ProjectFilter
	GroupBy string
}

// LeadTimeGroup summarises the lead times of one group: how many projects have one,
// and their median and 90th percentile in days (nearest-rank).
type LeadTimeGroup struct {
	Key        string
	Label      string
	LabelEN    string
	Count      int
	MedianDays int
	P90Days    int
}

// LeadTimes are the groups of a LeadTimeQuery; groups without any lead time are left
// out.
type LeadTimes struct {
	Groups []LeadTimeGroup
}

// StatsService computes controlling figures in the database and streams whole result
// sets for exports. Errors: EInvalid (bad grouping, interval or period range, bad
// cursor or sort of a filter), EUnavailable.
type StatsService interface {
	ProjectStats(ctx context.Context, q StatsQuery) (Stats, error)
	Timeline(ctx context.Context, q TimelineQuery) (Timeline, error)
	LeadTimes(ctx context.Context, q LeadTimeQuery) (LeadTimes, error)
	// EachProject calls fn for every project f selects, in f's sort order (default
	// title), with its participants; rows are read in bounded batches, so memory does
	// not grow with the number of projects. An error of fn stops the iteration and is
	// returned.
	EachProject(ctx context.Context, f ProjectFilter, fn func(Project) error) error
	// EachPartner is EachProject for partners.
	EachPartner(ctx context.Context, f PartnerFilter, fn func(Partner) error) error
	// EachCooperation is EachProject for cooperations, with their members.
	EachCooperation(ctx context.Context, f CooperationFilter, fn func(Cooperation) error) error
}

// TimelinePeriods returns the periods of interval ("month", "quarter", "year") from
// the one containing from's first day to the one containing to's first day. Errors
// are EInvalid: an unknown interval, from after to, more than MaxTimelinePeriods.
func TimelinePeriods(from, to PartialDate, interval string) ([]Period, error) {
	if from.IsZero() || to.IsZero() {
		return nil, Errorf(EInvalid, "from und to sind erforderlich (z. B. from=2016-01&to=2018-12) / from and to are required (e.g. from=2016-01&to=2018-12)")
	}
	step, ok := map[string]int{"month": 1, "quarter": 3, "year": 12}[interval]
	if !ok {
		return nil, Errorf(EInvalid, "interval: unbekannter Wert %q; erlaubt: month, quarter, year / unknown value %[1]q; allowed: month, quarter, year", interval)
	}
	start, last := periodStart(from.First(), step), periodStart(to.First(), step)
	if start.After(last) {
		return nil, Errorf(EInvalid, "from (%s) liegt nach to (%s) / from (%[1]s) is after to (%[2]s)", from, to)
	}
	months := (last.Year()-start.Year())*12 + int(last.Month()-start.Month())
	if n := months/step + 1; n > MaxTimelinePeriods {
		return nil, Errorf(EInvalid, "Zeitraum zu lang: %d Perioden, höchstens %d / period too long: %[1]d periods, at most %[2]d", n, MaxTimelinePeriods)
	}
	var out []Period
	for s := start; !s.After(last); s = s.AddDate(0, step, 0) {
		next := s.AddDate(0, step, 0)
		out = append(out, Period{Name: periodName(s, step), Start: s, End: next.AddDate(0, 0, -1)})
	}
	return out, nil
}

// periodStart is the first day of the period of step months that contains t.
func periodStart(t time.Time, step int) time.Time {
	m := (int(t.Month())-1)/step*step + 1
	return time.Date(t.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
}

func periodName(s time.Time, step int) string {
	switch step {
	case 12:
		return fmt.Sprintf("%04d", s.Year())
	case 3:
		return fmt.Sprintf("%04d-Q%d", s.Year(), (int(s.Month())-1)/3+1)
	default:
		return s.Format("2006-01")
	}
}
