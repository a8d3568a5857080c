package store_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// embeddedCSV is the register the binary ships, uncompressed.
func embeddedCSV(t *testing.T) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(region.EmbeddedData()))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A newer register in which Ahlen merged away: the partners naming it are flagged
// outdated (a new version, a change entry), stay writable, and a new partner with
// the vanished key is refused; the old register back makes them current again.
func TestImportRegisterFlagsMergedMunicipality(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := systemCtx()
		ahlen, err := db.CreatePartner(ctx, coop.PartnerDraft{ARS: "055700004004"})
		if err != nil {
			t.Fatal(err)
		}
		kdvz, err := db.CreatePartner(ctx, coop.PartnerDraft{Slug: "kdvz", Name: "KDVZ", Type: "municipal_it_provider",
			Serves: []string{"055700004004", "05566"}})
		if err != nil {
			t.Fatal(err)
		}
		warendorf, err := db.CreatePartner(ctx, coop.PartnerDraft{ARS: "055700000000"})
		if err != nil {
			t.Fatal(err)
		}
		if ahlen.Slug != "stadt-ahlen" || ahlen.RegionStatus != "current" || kdvz.RegionStatus != "current" {
			t.Fatalf("before: %s %s, %s", ahlen.Slug, ahlen.RegionStatus, kdvz.RegionStatus)
		}

		orig := embeddedCSV(t)
		var merged []string
		for _, line := range strings.SplitAfter(string(orig), "\n") {
			if !strings.HasPrefix(line, "60,63,05,5,70,0004,004,") { // Ahlen, Stadt
				merged = append(merged, line)
			}
		}
		newer := []byte(strings.Join(merged, ""))
		if len(newer) == len(orig) {
			t.Fatal("Ahlen not found in the register")
		}
		src := store.DestatisSource("neuer-auszug.csv", "2021-12-31", "2020-12-31", "2022")
		res, err := db.ImportRegister(ctx, newer, src)
		if err != nil {
			t.Fatal(err)
		}
		if res.Unchanged || !slices.Equal(sorted(res.Outdated), []string{"kdvz", "stadt-ahlen"}) || len(res.Current) != 0 {
			t.Errorf("import: %+v", res)
		}
		reg, err := db.Register(ctx)
		if err != nil || reg.Source.AsOf != "2021-12-31" || !strings.Contains(reg.Source.Attribution, "Destatis), 2022") {
			t.Errorf("register in force: %+v, %v", reg.Source, err)
		}
		list, err := db.FindPartners(ctx, coop.PartnerFilter{RegionStatuses: []string{"outdated"}})
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, p := range list.Items {
			slugs = append(slugs, p.Slug)
		}
		if !slices.Equal(sorted(slugs), []string{"kdvz", "stadt-ahlen"}) {
			t.Errorf("outdated partners: %v", slugs)
		}
		after, err := db.FindPartner(ctx, "stadt-ahlen")
		if err != nil || after.Version != ahlen.Version+1 || after.ARS != ahlen.ARS || after.Name != ahlen.Name {
			t.Errorf("flagged partner: %+v, %v", after, err)
		}
		if w, _ := db.FindPartner(ctx, warendorf.ID); w.Version != warendorf.Version || w.RegionStatus != "current" {
			t.Errorf("Kreis Warendorf: %+v", w)
		}
		// Still writable, still flagged.
		d := coop.PartnerDraft{Slug: after.Slug, Name: after.Name, Type: after.Type, AGS: after.AGS, ARS: after.ARS,
			State: after.State, Description: "Fusioniert"}
		upd, err := db.UpdatePartner(ctx, "stadt-ahlen", d, 0)
		if err != nil || upd.RegionStatus != "outdated" {
			t.Errorf("update of a flagged partner: %+v, %v", upd, err)
		}
		// A new partner with the vanished key is refused.
		_, err = db.CreatePartner(ctx, coop.PartnerDraft{Slug: "ahlen-neu", Name: "Ahlen", Type: "municipality", ARS: "055700004004"})
		var ce *coop.Error
		if !errors.As(err, &ce) || ce.Code != coop.EValidation || len(ce.Fields) != 1 || ce.Fields[0].Field != "ars" ||
			ce.Fields[0].Code != "unknown" {
			t.Errorf("new partner with the vanished key: %v", err)
		}
		// The same file again changes nothing.
		if res, err := db.ImportRegister(ctx, newer, src); err != nil || !res.Unchanged {
			t.Errorf("same register again: %+v, %v", res, err)
		}
		// The old register back: current again.
		res, err = db.ImportRegister(ctx, orig, region.EmbeddedSource)
		if err != nil || !slices.Equal(sorted(res.Current), []string{"kdvz", "stadt-ahlen"}) {
			t.Errorf("old register back: %+v, %v", res, err)
		}
		// A broken extract is refused and leaves the register in force.
		if _, err := db.ImportRegister(ctx, []byte("satzart,land\n10,01\n"), src); coop.ErrorCode(err) != coop.EInvalid {
			t.Errorf("broken extract: %v", err)
		}
	})
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
