package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

// Loading a newer register (regions import) moves the data version, so the ETags of
// what shows its figures change — a partner's population, the statistics' population
// served, the exports — though no partner's key vanished (no change entry); the
// partner's new tag still names its version for If-Match.
func TestRegisterImportMovesETags(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		ctx := coop.WithActor(context.Background(), coop.System)
		e.mustCreate(t, "/api/v1/partners", "admin", map[string]any{"ars": "055700000000"}) // Kreis Warendorf, 277,840
		e.mustCreate(t, "/api/v1/projects", "admin", projectBody("warendorf-it", map[string]any{
			"participants": []any{map[string]any{"partner": "kreis-warendorf", "role": "lead"}}}))
		paths := []string{"/api/v1/partners/kreis-warendorf", "/api/v1/stats/projects?group_by=status&partner=kreis-warendorf",
			"/api/v1/exports/partners", "/api/v1/exports/projects?format=xlsx"}
		before := map[string]string{}
		for _, p := range paths {
			r := e.get(p, "controlling")
			mustStatus(t, r, 200)
			before[p] = r.Header.Get("ETag")
		}
		v0, err := e.db.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}

		// Ahlen, in Kreis Warendorf, grows by 10,000 inhabitants.
		zr, err := gzip.NewReader(bytes.NewReader(region.EmbeddedData()))
		if err != nil {
			t.Fatal(err)
		}
		orig, _ := io.ReadAll(zr)
		const ahlen = `60,63,05,5,70,0004,004,"Ahlen, Stadt", 123.13, 52 503,`
		newer := strings.Replace(string(orig), ahlen, strings.Replace(ahlen, "52 503", "62 503", 1), 1)
		if newer == string(orig) {
			t.Fatal("Ahlen not found in the register")
		}
		res, err := e.db.ImportRegister(ctx, []byte(newer), store.DestatisSource("neu.csv", "2021-12-31", "2020-12-31", "2022"))
		if err != nil || res.Unchanged || len(res.Outdated)+len(res.Current) != 0 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		if v1, err := e.db.DataVersion(ctx); err != nil || v1 <= v0 {
			t.Errorf("data version %d after the import, %d before (%v)", v1, v0, err)
		}
		for _, p := range paths {
			r := e.do("GET", p, req{as: "controlling", headers: map[string]string{"If-None-Match": before[p]}})
			if r.Status != 200 || r.Header.Get("ETag") == before[p] {
				t.Errorf("%s: %d, ETag %s before and %s after the import", p, r.Status, before[p], r.Header.Get("ETag"))
			}
		}
		r := e.get("/api/v1/partners/kreis-warendorf", "admin")
		if n := r.Obj(t)["population"].(map[string]any)["count"]; n != 287_840.0 {
			t.Errorf("population of Kreis Warendorf: %v, want 287,840", n)
		}
		tag := r.Header.Get("ETag")
		patched := e.do("PATCH", "/api/v1/partners/kreis-warendorf", req{as: "admin",
			headers: map[string]string{"If-Match": tag}, body: map[string]any{"short_name": "WAF"}})
		mustStatus(t, patched, 200)
		// Unchanged register, unchanged partner: the same tag again.
		if again := e.get("/api/v1/partners/kreis-warendorf", "admin"); again.Header.Get("ETag") != patched.Header.Get("ETag") {
			t.Errorf("ETag %s after PATCH, %s on GET", patched.Header.Get("ETag"), again.Header.Get("ETag"))
		}
	})
}
