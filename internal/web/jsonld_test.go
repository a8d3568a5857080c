package web_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var ldScript = regexp.MustCompile(`<script type="application/ld\+json">([^<]*)</script>`)

// TestJSONLD: the detail pages of projects, partners and cooperations carry the
// resource's JSON-LD, the document the API answers to Accept: application/ld+json,
// and their CSP allows exactly that text by its hash; it carries no money, not even
// for controlling. Lists carry none.
func TestJSONLD(t *testing.T) {
	forEachWeb(t, func(t *testing.T, e *webEnv) {
		b := e.browser()
		b.signIn("controlling")
		for page, api := range map[string]string{
			"/verzeichnis/vorhaben/dips-kommunal":                    "/api/v1/projects/dips-kommunal",
			"/en/verzeichnis/vorhaben/it-hotline":                    "/api/v1/projects/it-hotline",
			"/verzeichnis/partner/citeq":                             "/api/v1/partners/citeq",
			"/verzeichnis/kooperationen/it-kooperation-muenster-lwl": "/api/v1/cooperations/it-kooperation-muenster-lwl",
		} {
			p := b.get(page)
			m := ldScript.FindAllStringSubmatch(p.Body, -1)
			if p.Status != http.StatusOK || len(m) != 1 {
				t.Errorf("%s: %d, %d JSON-LD scripts", page, p.Status, len(m))
				continue
			}
			sum := sha256.Sum256([]byte(m[0][1]))
			if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") ||
				strings.Contains(csp, "unsafe") {
				t.Errorf("%s: CSP %q does not allow the JSON-LD by its hash", page, csp)
			}
			var onPage, fromAPI map[string]any
			if err := json.Unmarshal([]byte(m[0][1]), &onPage); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v", page, err)
				continue
			}
			req, _ := http.NewRequest(http.MethodGet, e.url+api, nil)
			req.Header.Set("Accept", "application/ld+json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = json.NewDecoder(res.Body).Decode(&fromAPI)
			res.Body.Close()
			if !reflect.DeepEqual(onPage, fromAPI) || onPage["@id"] != e.url+api {
				t.Errorf("%s: the page's JSON-LD differs from the API's:\n%v\n%v", page, onPage, fromAPI)
			}
			for _, money := range []string{"budget", "cost", "savings", "finance"} {
				if strings.Contains(strings.ToLower(m[0][1]), money) {
					t.Errorf("%s: JSON-LD names %q", page, money)
				}
			}
		}
		if p := b.get("/verzeichnis/vorhaben"); strings.Contains(p.Body, "<script") || strings.Contains(p.Header.Get("Content-Security-Policy"), "script-src") {
			t.Errorf("the project list has a script or allows one")
		}
	})
}
