package benchdata

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// gen makes the records: everything it draws comes from one PCG seeded by -seed, so the
// same flags give the same directory (ids included).
type gen struct {
	r     *rand.Rand
	at    time.Time     // entry time of the next record
	step  time.Duration // between two records
	slugs map[string]bool

	// what later records refer to
	municipalities, districts, providers []partnerInfo
	partners                             []partnerInfo
	partnerIdx                           map[string]int   // slug → index in partners
	byState                              map[string][]int // state → indexes in partners
	solutions                            []string
	coops                                []coopInfo
}

type partnerInfo struct {
	slug, place, state string
	ags                string
}

type coopInfo struct {
	slug    string
	members []string
	state   string
}

// entryStart is when the simulated data entry begins; it spans three years from there.
var entryStart = time.Date(2023, 1, 2, 8, 0, 0, 0, time.UTC)

func newGen(seed uint64, records int) *gen {
	span := 3 * 365 * 24 * time.Hour
	step := span / time.Duration(max(records, 1))
	return &gen{r: rand.New(rand.NewPCG(seed, 0x494b5a)), at: entryStart, step: max(step, 10*time.Second),
		slugs: map[string]bool{}, partnerIdx: map[string]int{}, byState: map[string][]int{}}
}

// next returns the entry time of the next record.
func (g *gen) next() time.Time {
	t := g.at
	g.at = g.at.Add(g.step)
	return t
}

// uuid draws a version-4 UUID from the generator's source.
func (g *gen) uuid() string {
	a, b := g.r.Uint64(), g.r.Uint64()
	a = a&^0xf000 | 0x4000     // version 4
	b = b&^(0xc<<60) | 0x8<<60 // variant 10
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) place() string {
	return g.pick(placePrefixes) + g.pick(placeRoots) + g.pick(placeEnds)
}

// slug makes a unique slug of name (with a number if it is taken).
func (g *gen) slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == 'ä' || r == 'ö' || r == 'ü':
			b.WriteString(map[rune]string{'ä': "ae", 'ö': "oe", 'ü': "ue"}[r])
			dash = false
		case r == 'ß':
			b.WriteString("ss")
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	base := strings.TrimSuffix(b.String(), "-")
	if len(base) > 80 {
		base = strings.TrimSuffix(base[:80], "-")
	}
	s := base
	for i := 2; g.slugs[s]; i++ {
		s = fmt.Sprintf("%s-%d", base, i)
	}
	g.slugs[s] = true
	return s
}

// sentences writes n sentences "subject verb object context." and one benefit.
func (g *gen) sentences(n int) string {
	s := make([]string, 0, n+1)
	for range n {
		s = append(s, g.pick(subjects)+" "+g.pick(verbs)+" "+g.pick(objects)+" "+g.pick(contexts)+".")
	}
	s = append(s, g.pick(benefits))
	return strings.Join(s, " ")
}

// month is a month count (year*12 + month-1); it formats as a partial date.
type month int

func monthOf(t time.Time) month { return month(t.Year()*12 + int(t.Month()) - 1) }

func (m month) String() string { return fmt.Sprintf("%04d-%02d", int(m)/12, int(m)%12+1) }

// day formats m as a full date on a drawn day.
func (g *gen) day(m month) string { return fmt.Sprintf("%s-%02d", m, 1+g.r.IntN(28)) }

// walk moves a new resource along machine from start, month by month up to the month
// before at: the initial status, its effective month, and the transitions.
func (g *gen) walk(m coop.Machine, start string, from month, at time.Time, stop map[string]float64, weights map[string]float64) (month, []store.BulkTransition) {
	var ts []store.BulkTransition
	cur, when := start, from
	last := monthOf(at) - 1
	for i := 1; !m.Final(cur) && !g.chance(stop[cur]); i++ {
		next := when + month(1+g.r.IntN(18))
		if next > last {
			break
		}
		to := g.weighted(m.Allowed(cur), weights)
		t := store.BulkTransition{Transition: coop.Transition{To: to, EffectiveOn: next.String()},
			At: at.Add(time.Duration(i) * time.Second)}
		if to == "suspended" || to == "cancelled" || to == "terminated" {
			t.Reason = g.pick([]string{"Haushaltssperre", "Personalengpass", "Neuausschreibung des Fachverfahrens",
				"Ergebnis der Wirtschaftlichkeitsbetrachtung", "Beschluss des Lenkungskreises", "Wechsel des Anbieters"})
		}
		ts = append(ts, t)
		cur, when = to, next
	}
	return when, ts
}

// weighted draws one of list by weights (1 for a missing weight).
func (g *gen) weighted(list []string, weights map[string]float64) string {
	sum := 0.0
	for _, s := range list {
		sum += weightOf(weights, s)
	}
	x := g.r.Float64() * sum
	for _, s := range list {
		if x -= weightOf(weights, s); x < 0 {
			return s
		}
	}
	return list[len(list)-1]
}

func weightOf(w map[string]float64, s string) float64 {
	if v, ok := w[s]; ok {
		return v
	}
	return 1
}

// money draws an amount of whole euros and cents between lo and hi euros.
func (g *gen) money(lo, hi int64) int64 { return (lo + g.r.Int64N(hi-lo)) * 100 }

func euros(cents int64) *string {
	s := fmt.Sprintf("%d.%02d", cents/100, cents%100)
	return &s
}
