package benchdata

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// partnerRecords makes n partners: municipalities and districts (with AGS, ARS and
// Leitweg-ID of their state), municipal IT providers (most with a municipality or
// district as parent), departments of municipalities, special-purpose associations,
// regional associations, state authorities and companies — parents before children.
func (g *gen) partnerRecords(n int) []store.BulkPartner {
	share := func(p float64) int { return int(float64(n) * p) }
	nDist, nProv, nDept := max(share(0.08), 1), max(share(0.05), 1), share(0.30)
	nAssoc, nReg, nState, nComp := share(0.05), share(0.02), share(0.02), share(0.02)
	out := make([]store.BulkPartner, 0, n)
	add := func(d coop.PartnerDraft, info *partnerInfo) {
		if len(out) >= max(n, 2) {
			return
		}
		info.slug = d.Slug
		g.partnerIdx[d.Slug] = len(g.partners)
		g.byState[info.state] = append(g.byState[info.state], len(g.partners))
		g.partners = append(g.partners, *info)
		out = append(out, store.BulkPartner{Draft: d, At: g.next()})
	}
	reg, err := region.Embedded()
	if err != nil {
		panic(err) // the embedded register parses: region's tests hold it
	}
	districts, municipalities := g.registerUnits(reg)
	nDist = min(nDist, len(districts))
	nMuni := min(max(n-nDist-nProv-nDept-nAssoc-nReg-nState-nComp, 2), len(municipalities))
	inDistrict := map[string][]region.Region{} // district key → its unused municipalities
	for _, x := range districts[:nDist] {
		place := placeOf(x)
		d := g.authority(region.PartnerName(x), "district", x, place)
		info := partnerInfo{place: place, state: x.State(), ags: x.AGS()}
		add(d, &info)
		g.districts = append(g.districts, info)
		inDistrict[x.Key] = nil
	}
	for _, x := range municipalities {
		if list, ok := inDistrict[x.Key[:5]]; ok {
			inDistrict[x.Key[:5]] = append(list, x)
		}
	}
	used := map[string]bool{}
	next := 0 // into municipalities, for those drawn from anywhere
	for range nMuni {
		var x region.Region
		if len(g.districts) > 0 && g.chance(0.8) {
			key := g.districts[g.r.IntN(len(g.districts))].ags[:5]
			list := inDistrict[key]
			for len(list) > 0 && used[list[0].Key] {
				list = list[1:]
			}
			if len(list) > 0 {
				x, list = list[0], list[1:]
			}
			inDistrict[key] = list
		}
		for ; x.Key == ""; next++ {
			if !used[municipalities[next].Key] {
				x = municipalities[next]
			}
		}
		used[x.Key] = true
		place := placeOf(x)
		d := g.authority(region.PartnerName(x), "municipality", x, place)
		info := partnerInfo{place: place, state: d.State, ags: d.AGS}
		add(d, &info)
		g.municipalities = append(g.municipalities, info)
	}
	for range nProv {
		region := g.pick(regions)
		d := g.plain(g.pick(itProviderKinds)+" "+region, "municipal_it_provider", region)
		d.LegalForm = g.pick(legalForms)
		info := partnerInfo{place: region}
		if g.chance(0.7) {
			p := g.municipalOrDistrict()
			d.Parent, info.state, d.State = p.slug, p.state, p.state
		}
		d.Employees = &coop.EmployeesDraft{Count: 20 + g.r.IntN(800), AsOf: fmt.Sprint(2019 + g.r.IntN(6))}
		add(d, &info)
		g.providers = append(g.providers, info)
	}
	for range nDept {
		m := g.municipalities[g.r.IntN(len(g.municipalities))]
		d := g.plain(g.pick(departments)+" "+m.place, "department", m.place)
		d.Parent, d.State = m.slug, m.state
		add(d, &partnerInfo{place: m.place, state: m.state})
	}
	for _, x := range []struct {
		n    int
		typ  string
		name func() string
	}{
		{nAssoc, "special_purpose_association", func() string { return g.pick(associationKinds) + " " + g.pick(regions) }},
		{nReg, "regional_association", func() string { return "Landschaftsverband " + g.pick(regions) }},
		{nState, "state_authority", func() string { return "Landesamt für Digitalisierung " + g.pick(regions) }},
		{nComp, "company", func() string { return g.pick(companyKinds) + " " + g.place() + " GmbH" }},
	} {
		for range x.n {
			name := x.name()
			d := g.plain(name, x.typ, g.pick(regions))
			add(d, &partnerInfo{place: name})
		}
	}
	return out
}

// authority is a municipality or district of the register with its keys.
func (g *gen) authority(name, typ string, x region.Region, place string) coop.PartnerDraft {
	d := g.plain(name, typ, place)
	d.State, d.AGS, d.ARS = x.State(), x.AGS(), x.ARS()
	ags := d.AGS
	fine := ""
	if g.chance(0.5) {
		fine = fmt.Sprintf("%d", 100+g.r.IntN(900))
	}
	body := ags + fine
	d.LeitwegID = ags
	if fine != "" {
		d.LeitwegID += "-" + fine
	}
	d.LeitwegID += fmt.Sprintf("-%02d", coop.LeitwegCheckDigits(body))
	d.Address.PostalCode = x.PostalCode
	if d.Address.PostalCode == "" {
		d.Address.PostalCode = fmt.Sprintf("%05d", 1067+g.r.IntN(98000))
	}
	d.Address.Street = fmt.Sprintf("%s %d", g.pick(streets), 1+g.r.IntN(40))
	d.Employees = &coop.EmployeesDraft{Count: 40 + g.r.IntN(5000), AsOf: fmt.Sprintf("%d-%02d", 2018+g.r.IntN(7), 1+g.r.IntN(12))}
	return d
}

// plain is a partner with name, slug, city, contact and description.
func (g *gen) plain(name, typ, city string) coop.PartnerDraft {
	slug := g.slug(name)
	return coop.PartnerDraft{
		Slug: slug, Name: name, Type: typ, Website: "https://www." + slug + ".example",
		Email: "poststelle@" + slug + ".example", Address: coop.Address{City: city},
		Description: name + ". " + g.sentences(1+g.r.IntN(2)),
	}
}

// registerUnits are the register's districts and municipalities in the states the
// generator knows the cooperation law of, each list shuffled.
func (g *gen) registerUnits(reg *region.Register) (districts, municipalities []region.Region) {
	var states []string
	for _, s := range lawOfState {
		states = append(states, s.code)
	}
	for _, level := range []string{region.District, region.Municipality} {
		var all []region.Region
		q := region.Query{Levels: []string{level}, States: states, Limit: region.MaxLimit}
		for {
			page, err := reg.Find(q)
			if err != nil {
				panic(err) // a constant query
			}
			all = append(all, page.Items...)
			if q.Cursor = page.NextCursor; q.Cursor == "" {
				break
			}
		}
		g.r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		if level == region.District {
			districts = all
		} else {
			municipalities = all
		}
	}
	return districts, municipalities
}

// placeOf is a region's name without the register's suffix ("Münster, Stadt" → "Münster").
func placeOf(x region.Region) string {
	name, _, _ := strings.Cut(x.Name, ", ")
	return name
}

func (g *gen) municipalOrDistrict() partnerInfo {
	if len(g.districts) > 0 && g.chance(0.4) {
		return g.districts[g.r.IntN(len(g.districts))]
	}
	return g.municipalities[g.r.IntN(len(g.municipalities))]
}

var (
	coopStop    = map[string]float64{"planned": 0.1, "active": 0.75, "suspended": 0.5}
	coopWeights = map[string]float64{"active": 9, "ended": 1, "suspended": 1.5}
	projStop    = map[string]float64{"idea": 0.3, "planned": 0.25, "in_progress": 0.35, "operational": 0.75, "suspended": 0.5}
	projWeights = map[string]float64{"planned": 9, "in_progress": 9, "cancelled": 1, "operational": 5, "completed": 3,
		"suspended": 1, "terminated": 2}
	memberRoles = []string{"party", "party", "party", "implementer", "observer"}
	partRoles   = []string{"partner", "partner", "consumer", "consumer", "provider", "operator", "developer", "funder", "observer"}
)

// cooperationRecords makes n cooperations of 2–5 members (mostly partners of one
// state, now and then with an IT provider) with their status histories.
func (g *gen) cooperationRecords(n int) []store.BulkCooperation {
	out := make([]store.BulkCooperation, n)
	for i := range out {
		size := 2 + g.r.IntN(4)
		members := g.distinctPartners(size)
		if len(g.providers) > 0 && g.chance(0.3) {
			// An IT provider takes the last place, unless it is a member already: a
			// cooperation keeps at least two members.
			if p := g.providers[g.r.IntN(len(g.providers))].slug; !slices.Contains(members, p) {
				members[len(members)-1] = p
			}
		}
		lead := g.partnerBySlug(members[0])
		law := "GkG NRW"
		for _, s := range lawOfState {
			if s.code == lead.state {
				law = s.law
			}
		}
		title := fmt.Sprintf("IKZ %s %s", g.pick(topics), g.pick(regions))
		at := g.next()
		started := monthOf(at) - month(12+g.r.IntN(15*12))
		d := coop.CooperationDraft{
			Slug: fmt.Sprintf("k-%d", i+1), Title: title,
			Description: g.sentences(2 + g.r.IntN(2)),
			LegalForm:   g.pick(coop.CooperationLegalForms.Codes()),
			LegalBasis:  []string{law}, Status: "planned", StatusEffectiveOn: started.String(),
			StartedOn: started.String(), VATTreatment: g.pick(coop.VATTreatments.Codes()),
		}
		for j, m := range members {
			role := "party"
			if j > 0 {
				role = g.pick(memberRoles)
			}
			d.Members = append(d.Members, coop.MemberDraft{Partner: m, Role: role})
		}
		end, ts := g.walk(coop.CooperationMachine, "planned", started, at, coopStop, coopWeights)
		if len(ts) > 0 && ts[len(ts)-1].To == "ended" {
			d.EndedOn = end.String()
		}
		out[i] = store.BulkCooperation{Draft: d, At: at, Transitions: ts}
		g.coops = append(g.coops, coopInfo{slug: d.Slug, members: members, state: lead.state})
	}
	return out
}

// projectRecords makes the projects first+1 … first+n (slugs p-N): 2–4 participants
// from the cooperation's members (and its IT provider), a walk along the project
// machine from idea or planned, dates consistent with it, finance in cents, tags.
func (g *gen) projectRecords(first, n int) []store.BulkProject {
	out := make([]store.BulkProject, n)
	for i := range out {
		c := g.coops[g.r.IntN(len(g.coops))]
		at := g.next()
		start := "planned"
		if g.chance(0.2) {
			start = "idea"
		}
		from := monthOf(at) - month(1+g.r.IntN(12*12))
		_, ts := g.walk(coop.ProjectMachine, start, from, at, projStop, projWeights)
		place := g.partnerBySlug(c.members[0]).place
		d := coop.ProjectDraft{
			Slug: fmt.Sprintf("p-%d", first+i+1), Title: g.pick(topics) + g.pick(qualifiers) + " " + g.pick([]string{"in", "für", "der"}) + " " + place,
			Description: g.sentences(2 + g.r.IntN(3)), Cooperation: c.slug,
			Category: g.pick(coop.ProjectCategories.Codes()), Status: start, StatusEffectiveOn: from.String(),
		}
		status := start
		for _, t := range ts {
			switch t.To {
			case "in_progress":
				if d.StartedOn == "" {
					d.StartedOn = g.day(mustMonth(t.EffectiveOn))
					d.PlannedEndOn = (mustMonth(t.EffectiveOn) + month(6+g.r.IntN(30))).String()
				}
			case "completed", "terminated", "cancelled":
				if d.StartedOn != "" {
					d.EndedOn = t.EffectiveOn
				}
			}
			status = t.To
		}
		if len(g.solutions) > 0 && g.chance(0.4) {
			d.Solution = g.pick(g.solutions)
		}
		parts := append([]string{}, c.members...)
		g.r.Shuffle(len(parts), func(a, b int) { parts[a], parts[b] = parts[b], parts[a] })
		parts = parts[:min(len(parts), 2+g.r.IntN(3))]
		if len(parts) < 4 && len(g.providers) > 0 && g.chance(0.3) {
			parts = unique(append(parts, g.providers[g.r.IntN(len(g.providers))].slug))
		}
		for j, p := range parts {
			role := "lead"
			if j > 0 {
				role = g.pick(partRoles)
			}
			pd := coop.ParticipantDraft{Partner: p, Role: role}
			if d.StartedOn != "" && j > 0 && g.chance(0.2) {
				pd.Since = d.StartedOn[:7]
			}
			d.Participants = append(d.Participants, pd)
		}
		for _, t := range g.r.Perm(len(tags))[:g.r.IntN(5)] {
			d.Tags = append(d.Tags, tags[t])
		}
		if g.chance(0.9) {
			budget := g.money(20_000, 5_000_000) + g.r.Int64N(100)
			f := &coop.FinanceDraft{BudgetPlanned: euros(budget), Currency: "EUR"}
			if status == "operational" || status == "completed" || status == "terminated" || status == "suspended" {
				f.CostActual = euros(budget * int64(60+g.r.IntN(70)) / 100)
			}
			if g.chance(0.3) {
				f.SavingsEstimated = euros(budget * int64(10+g.r.IntN(40)) / 100)
			}
			d.Finance = f
		}
		if g.chance(0.3) {
			d.Sources = []coop.SourceDraft{{Title: "Pressemitteilung " + place, URL: fmt.Sprintf("https://www.%s.example/presse/%d", c.slug, first+i+1),
				PublishedOn: g.day(from)}}
		}
		out[i] = store.BulkProject{Draft: d, At: at, Transitions: ts}
	}
	return out
}

// solutionDrafts makes n solutions developed by IT providers.
func (g *gen) solutionDrafts(n int) []coop.SolutionDraft {
	out := make([]coop.SolutionDraft, 0, n)
	for i := range n {
		name := solutionNames[i%len(solutionNames)]
		if i >= len(solutionNames) {
			name = fmt.Sprintf("%s %d", name, i/len(solutionNames)+1)
		}
		d := coop.SolutionDraft{Slug: g.slug(name), Name: name, Category: g.pick(coop.ProjectCategories.Codes()),
			Description: g.sentences(2)}
		if len(g.providers) > 0 {
			d.Developers = []string{g.providers[g.r.IntN(len(g.providers))].slug}
		}
		g.solutions = append(g.solutions, d.Slug)
		out = append(out, d)
	}
	return out
}

// distinctPartners draws k distinct partners: a random first one, the others mostly
// from its state.
func (g *gen) distinctPartners(k int) []string {
	k = min(k, len(g.partners))
	first := g.partners[g.r.IntN(len(g.partners))]
	out := []string{first.slug}
	seen := map[string]bool{first.slug: true}
	local := g.byState[first.state]
	for tries := 0; len(out) < k && tries < 100; tries++ {
		p := g.partners[g.r.IntN(len(g.partners))]
		if len(local) > k && g.chance(0.75) {
			p = g.partners[local[g.r.IntN(len(local))]]
		}
		if !seen[p.slug] {
			seen[p.slug] = true
			out = append(out, p.slug)
		}
	}
	return out
}

func (g *gen) partnerBySlug(slug string) partnerInfo { return g.partners[g.partnerIdx[slug]] }

func mustMonth(s string) month {
	var y, m int
	fmt.Sscanf(s, "%d-%d", &y, &m)
	return month(y*12 + m - 1)
}

func unique(list []string) []string {
	seen := map[string]bool{}
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
