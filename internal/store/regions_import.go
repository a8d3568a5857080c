package store

import (
	"bytes"
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

// RegisterImport is what loading a newer register changed.
type RegisterImport struct {
	// Unchanged: the extract is the one in force already; nothing was written.
	Unchanged bool
	// Regions is the number of regions of the new register.
	Regions int
	// Checked is the number of live partners whose keys were checked.
	Checked int
	// Outdated are the slugs of the partners newly flagged outdated (a key or a served
	// region is no longer in the register); Current those whose keys are found again.
	Outdated, Current []string
}

// ImportRegister loads an extract of the Gemeindeverzeichnis (CSV, the columns of
// region.Parse) as the register in force and checks every live partner's keys against
// it, in one transaction that waits for every other write: a partner whose key
// vanished (a municipality merged) is flagged outdated, not changed otherwise, and
// one found again is current; each flag is a new version with its change-log record.
func (s RegionService) ImportRegister(ctx context.Context, csv []byte, src region.Source) (RegisterImport, error) {
	var out RegisterImport
	reg, err := region.Parse(bytes.NewReader(csv), src)
	if err != nil {
		return out, coop.Errorf(coop.EInvalid, "%s", err.Error())
	}
	out.Regions = reg.Len()
	gz, sha, err := region.Compress(csv)
	if err != nil {
		return out, err
	}
	err = s.exclusiveTx(ctx, func(tx *gorm.DB) error {
		var inForce string
		if err := tx.Raw("SELECT sha256 FROM region_registers ORDER BY id DESC LIMIT 1").Scan(&inForce).Error; err != nil {
			return err
		}
		if inForce == sha || (inForce == "" && sha == region.EmbeddedDigest()) {
			out.Unchanged = true
			return nil
		}
		now := s.now()
		// A register loaded before and replaced since comes back as the newest.
		if err := tx.Exec("DELETE FROM region_registers WHERE sha256 = ?", sha).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO region_registers (sha256, name, as_of, population_as_of, licence, licence_url,
 attribution, data, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, sha, src.Name, src.AsOf, src.PopulationAsOf,
			src.Licence, src.LicenceURL, src.Attribution, gz, now).Error; err != nil {
			return err
		}
		var rows []partnerRow
		if err := tx.Where("deleted_at IS NULL AND (ags <> '' OR ars <> '' OR serves <> '')").Order("id").
			Find(&rows).Error; err != nil {
			return err
		}
		out.Checked = len(rows)
		for _, r := range rows {
			before := r.RegionStatus
			old := r // every key counts as stored before: unknown ones make it outdated
			var v coop.Violations
			checkPartnerRegions(reg, &r, &old, &v)
			if r.RegionStatus == before || len(v) > 0 {
				continue
			}
			if err := bump(tx, "partners", r.ID, r.Version, map[string]any{"region_status": r.RegionStatus}, now); err != nil {
				return err
			}
			changes := map[string]coop.FieldChange{"region_status": {Old: before, New: r.RegionStatus}}
			if err := s.logChange(ctx, tx, coop.ActionUpdate, coop.TypePartner, r.ID, r.Version+1, changes, now); err != nil {
				return err
			}
			if r.RegionStatus == coop.RegionStatusOutdated {
				out.Outdated = append(out.Outdated, r.Slug)
			} else {
				out.Current = append(out.Current, r.Slug)
			}
		}
		return nil
	})
	if err != nil {
		return out, translate(err)
	}
	parsedRegisters.Store(sha, reg)
	s.registerNow.Store(nil) // read the new one at once
	return out, nil
}

// DestatisSource names an extract of the Gemeindeverzeichnis loaded from a file: the
// territorial status asOf and the population's date (YYYY-MM-DD), with the licence
// and attribution Destatis requires (its year that of the release, the year after
// asOf's quarter ends at the earliest; release is that year).
func DestatisSource(file, asOf, populationAsOf, release string) region.Source {
	return region.Source{
		Name:           "Destatis Gemeindeverzeichnis (GV-ISys), " + strings.TrimSpace(file),
		AsOf:           asOf,
		PopulationAsOf: populationAsOf,
		Licence:        region.EmbeddedSource.Licence,
		LicenceURL:     region.EmbeddedSource.LicenceURL,
		Attribution:    "© Statistisches Bundesamt (Destatis), " + release + ", Gemeindeverzeichnis, dl-de/by-2-0",
	}
}
