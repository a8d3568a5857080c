package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

// RegionService gives the register of territorial units in force (internal/region):
// the newest extract loaded into region_registers (`ikz-verzeichnis regions import`),
// or the one the binary ships.
type RegionService struct{ *base }

// registerCheck is how long a process uses the register in force before it asks the
// database again (another process may have loaded a newer one).
const registerCheck = 5 * time.Second

// inForce is the register in force as last read, and when.
type inForce struct {
	reg *region.Register
	at  time.Time
}

// parsedRegisters are the extracts parsed so far, by the SHA-256 of their CSV: each is
// parsed once per process (some 50 ms).
var parsedRegisters sync.Map

// Register returns the register in force.
func (s RegionService) Register(ctx context.Context) (*region.Register, error) {
	return s.register(ctx)
}

// register returns the register in force, asking the database at most every
// registerCheck.
func (b *base) register(ctx context.Context) (*region.Register, error) {
	if f := b.registerNow.Load(); f != nil && b.now().Sub(f.at) < registerCheck {
		return f.reg, nil
	}
	var reg *region.Register
	err := b.session(ctx, func(q *gorm.DB) (err error) {
		reg, err = registerIn(q)
		return err
	})
	if err != nil {
		return nil, err
	}
	b.registerNow.Store(&inForce{reg: reg, at: b.now()})
	return reg, nil
}

// registerIn reads the register in force in db (a write checks keys against the
// register its transaction sees).
func registerIn(db *gorm.DB) (*region.Register, error) {
	var row struct {
		SHA256, Name, AsOf, PopulationAsOf, Licence, LicenceURL, Attribution string
	}
	err := db.Raw(`SELECT sha256, name, as_of, population_as_of, licence, licence_url, attribution
 FROM region_registers ORDER BY id DESC LIMIT 1`).Scan(&row).Error
	if err != nil {
		return nil, translate(err)
	}
	if row.SHA256 == "" {
		return region.Embedded()
	}
	if v, ok := parsedRegisters.Load(row.SHA256); ok {
		return v.(*region.Register), nil
	}
	var data []byte
	if err := db.Raw("SELECT data FROM region_registers WHERE sha256 = ?", row.SHA256).Row().Scan(&data); err != nil {
		return nil, translate(err)
	}
	reg, err := region.Load(data, region.Source{Name: row.Name, AsOf: row.AsOf, PopulationAsOf: row.PopulationAsOf,
		Licence: row.Licence, LicenceURL: row.LicenceURL, Attribution: row.Attribution})
	if err != nil {
		return nil, fmt.Errorf("register %s in force: %w", row.SHA256[:12], err)
	}
	parsedRegisters.Store(row.SHA256, reg)
	return reg, nil
}

// partnerTypeOfLevel is the partner type of a territorial unit of level ("" for
// levels no partner type stands for).
func partnerTypeOfLevel(level string) string {
	switch level {
	case region.Municipality, region.District, region.State:
		return level
	}
	return ""
}

// resolvePartnerRegion is the region a partner's keys name at level ("" for the
// deepest): by ARS, else by AGS.
func resolvePartnerRegion(reg *region.Register, ars, ags, level string) (region.Region, bool) {
	if ars != "" {
		return reg.ResolveARS(ars, level)
	}
	if ags != "" {
		return reg.ResolveAGS(ags, level)
	}
	return region.Region{}, false
}

// fillFromRegister completes a new partner that names a territorial unit by its key:
// type, name, slug, state and AGS the client left out come from the register (a
// partner can be created from an ARS alone). Keys the register does not know are left
// for the validation to report.
func fillFromRegister(reg *region.Register, d *coop.PartnerDraft) {
	if (d.ARS == "" && d.AGS == "") || (d.Type != "" && coop.TerritorialLevel(d.Type) == "") {
		return
	}
	x, ok := resolvePartnerRegion(reg, d.ARS, d.AGS, coop.TerritorialLevel(d.Type))
	if !ok {
		return
	}
	if d.Type == "" {
		if d.Type = partnerTypeOfLevel(x.Level); d.Type == "" {
			return
		}
	}
	if d.Name == "" {
		d.Name = region.PartnerName(x)
	}
	if d.Slug == "" {
		d.Slug = region.Slug(d.Name)
	}
	if d.State == "" {
		d.State = x.State()
	}
	if d.AGS == "" {
		d.AGS = x.AGS()
	}
}

// checkPartnerRegions checks a partner's keys and served regions against the register
// and sets its region status. Keys that were stored before (old) and are no longer in
// the register are let through as outdated: a partner whose municipality merged stays
// writable, flagged.
func checkPartnerRegions(reg *region.Register, row *partnerRow, old *partnerRow, v *coop.Violations) {
	row.RegionStatus = coop.RegionStatusCurrent
	unchanged := func(field, now string) bool {
		if old == nil {
			return false
		}
		switch field {
		case "ags":
			return old.AGS == now
		case "ars":
			return old.ARS == now
		}
		return strings.Contains(" "+old.Serves+" ", " "+now+" ")
	}
	unknown := func(field, key, level, what string) {
		if unchanged(strings.SplitN(field, "[", 2)[0], key) {
			row.RegionStatus = coop.RegionStatusOutdated
			return
		}
		v.Add(field, "unknown", "%s %s steht nicht im Gemeindeverzeichnis (Stand %s)%s", what, key, reg.Source.AsOf,
			nearestText(reg.Nearest(key, level, 3), len(key) == 8))
	}
	level := coop.TerritorialLevel(row.Type)
	if level == "" {
		for i, ars := range strings.Fields(row.Serves) {
			if _, ok := reg.ResolveARS(ars, ""); !ok {
				unknown(fmt.Sprintf("serves[%d]", i), ars, "", "Die Gebietseinheit")
			}
		}
		return
	}
	if row.AGS == "" && row.ARS == "" {
		row.RegionStatus = coop.RegionStatusMissing
		return
	}
	var byARS, byAGS region.Region
	var okARS, okAGS bool
	if coop.ValidARS(row.ARS) {
		if byARS, okARS = reg.ResolveARS(row.ARS, level); !okARS {
			unknown("ars", row.ARS, level, "Der ARS")
		}
	}
	if coop.ValidAGS(row.AGS) {
		if byAGS, okAGS = reg.ResolveAGS(row.AGS, level); !okAGS {
			unknown("ags", row.AGS, level, "Der AGS")
		}
	}
	if okARS && okAGS && byARS.Key != byAGS.Key {
		v.Add("ars", "mismatch", "ARS %s (%s) und AGS %s (%s) nennen verschiedene Gebietseinheiten", row.ARS, byARS.Name, row.AGS, byAGS.Name)
	}
	if okARS && row.AGS == "" && row.State != "" && byARS.State() != row.State {
		v.Add("state", "mismatch", "Der ARS %s gehört zu %s, nicht zu %s", row.ARS, byARS.State(), row.State)
	}
}

// nearestText names the candidates for an unknown key.
func nearestText(list []region.Region, ags bool) string {
	if len(list) == 0 {
		return ""
	}
	parts := make([]string, len(list))
	for i, x := range list {
		key := x.ARS()
		if ags {
			key = x.AGS()
		}
		parts[i] = key + " " + x.Name
	}
	return "; nächste / nearest: " + strings.Join(parts, ", ")
}
