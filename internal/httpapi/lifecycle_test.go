package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// machineStates returns a machine's states in a stable order.
func machineStates(m coop.Machine) []string {
	var out []string
	for s := range m.Transitions {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// allowedOf reads the allowed targets of a 409 problem.
func allowedOf(t *testing.T, r resp) []string {
	t.Helper()
	var p struct {
		Allowed []string `json:"allowed"`
	}
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	return p.Allowed
}

func TestTransitionMachines(t *testing.T) {
	machines := []struct {
		name       string
		collection string
		machine    coop.Machine
		body       func(slug string, extra map[string]any) map[string]any
	}{
		{"project", "/api/v1/projects", coop.ProjectMachine, projectBody},
		{"cooperation", "/api/v1/cooperations", coop.CooperationMachine, coopBody},
	}
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for _, m := range machines {
			states := machineStates(m.machine)
			n := 0
			for _, from := range states {
				for _, to := range states {
					n++
					slug := fmt.Sprintf("m-%s-%d", m.name, n)
					e.mustCreate(t, m.collection, "editor", m.body(slug, map[string]any{"status": from, "status_effective_on": "2020-01"}))
					path := m.collection + "/" + slug
					r := e.do("POST", path+"/transitions", req{as: "editor", body: map[string]any{"to": to, "effective_on": "2021-06", "reason": "Test"}})
					if m.machine.CanMove(from, to) {
						if r.Status != 200 {
							t.Errorf("%s %s → %s: %d, want 200: %s", m.name, from, to, r.Status, r.Body)
							continue
						}
						res := r.Obj(t)
						if res["status"] != to || res["version"] != float64(2) || r.Header.Get("ETag") != fmt.Sprintf(`"%s.2"`, res["id"]) {
							t.Errorf("%s %s → %s: answered %v %v %s", m.name, from, to, res["status"], res["version"], r.Header.Get("ETag"))
						}
						h := e.get(path+"/history", "").Obj(t)["items"].([]any)
						last := h[len(h)-1].(map[string]any)
						if len(h) != 2 || last["from"] != from || last["to"] != to || last["effective_on"] != "2021-06" || last["reason"] != "Test" {
							t.Errorf("%s %s → %s: history %v", m.name, from, to, h)
						}
						continue
					}
					if r.Status != 409 {
						t.Errorf("%s %s → %s: %d, want 409: %s", m.name, from, to, r.Status, r.Body)
						continue
					}
					if m.machine.Final(from) && !strings.Contains(string(r.Body), `"allowed":[]`) {
						t.Errorf("%s %s → %s: a final status's 409 does not say allowed: []: %s", m.name, from, to, r.Body)
					}
					if got, want := sorted(allowedOf(t, r)), sorted(m.machine.Allowed(from)); !slices.Equal(got, want) {
						t.Errorf("%s %s → %s: allowed %v, want %v", m.name, from, to, got, want)
					}
					if got := e.get(path, "").Obj(t); got["status"] != from || got["version"] != float64(1) {
						t.Errorf("%s %s → %s: refused transition changed %v", m.name, from, to, got)
					}
				}
			}
		}
	})
}

func TestTransitionRules(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		tr := func(path string, body map[string]any, h map[string]string) resp {
			return e.do("POST", path+"/transitions", req{as: "editor", body: body, headers: h})
		}
		trInvalid := func(path string, body map[string]any) resp {
			return e.do("POST", path+"/transitions", req{as: "editor", body: body, invalid: true})
		}
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("regeln", map[string]any{"status": "in_progress", "status_effective_on": "2019-05"}))
		p := "/api/v1/projects/regeln"
		cases := []struct {
			name string
			body map[string]any
			want []string
		}{
			{"unknown status", map[string]any{"to": "fertig"}, []string{"to:enum"}},
			{"missing to", map[string]any{}, []string{"to:required"}},
			{"future", map[string]any{"to": "operational", "effective_on": time.Now().AddDate(0, 2, 0).Format("2006-01")}, []string{"effective_on:future"}},
			{"before previous", map[string]any{"to": "operational", "effective_on": "2019-04-30"}, []string{"effective_on:before_previous"}},
			{"bad date", map[string]any{"to": "operational", "effective_on": "2024-13-45"}, []string{"effective_on:date"}},
		}
		for _, c := range cases {
			// all but the dates' order break the contract (enum, required, pattern)
			r := trInvalid(p, c.body)
			mustStatus(t, r, 422)
			if got := fieldErrors(t, r); !slices.Equal(got, c.want) {
				t.Errorf("%s: errors %v, want %v", c.name, got, c.want)
			}
		}
		mustStatus(t, trInvalid(p, map[string]any{"to": "operational", "colour": "red"}), 400)
		mustStatus(t, e.do("POST", p+"/transitions", req{invalid: true, as: "editor", ctype: "text/plain", body: `{"to": "operational"}`}), 415)
		if got := e.get(p, "").Obj(t); got["status"] != "in_progress" || got["version"] != float64(1) {
			t.Errorf("refused transitions changed the project: %v", got)
		}

		// If-Match: stale is 412 and nothing changes; the current tag works
		cur := e.get(p, "")
		stale := fmt.Sprintf(`"%s.9"`, cur.Obj(t)["id"])
		mustStatus(t, tr(p, map[string]any{"to": "operational"}, map[string]string{"If-Match": stale}), 412)
		mustStatus(t, tr(p, map[string]any{"to": "operational"}, map[string]string{"If-Match": `"something-else.1"`}), 412)
		if got := e.get(p, "").Obj(t)["status"]; got != "in_progress" {
			t.Errorf("stale transition changed status to %v", got)
		}
		// equal to the previous date is allowed
		ok := tr(p, map[string]any{"to": "operational", "effective_on": "2019-05", "reason": "Start"}, map[string]string{"If-Match": cur.Header.Get("ETag")})
		mustStatus(t, ok, 200)
		if ok.Header.Get("ETag") == cur.Header.Get("ETag") {
			t.Error("ETag did not change")
		}
		// without effective_on: today
		mustStatus(t, tr(p, map[string]any{"to": "suspended"}, nil), 200)
		h := e.get(p+"/history", "").Obj(t)["items"].([]any)
		if len(h) != 3 {
			t.Fatalf("history = %v", h)
		}
		first, second, third := h[0].(map[string]any), h[1].(map[string]any), h[2].(map[string]any)
		if first["from"] != nil || first["to"] != "in_progress" || first["effective_on"] != "2019-05" || first["reason"] != nil {
			t.Errorf("initial entry = %v", first)
		}
		if second["from"] != "in_progress" || second["to"] != "operational" || second["reason"] != "Start" {
			t.Errorf("second entry = %v", second)
		}
		if third["effective_on"] != time.Now().UTC().Format("2006-01-02") {
			t.Errorf("undated transition took effect on %v, want today", third["effective_on"])
		}
		actor := second["actor"].(map[string]any)
		if actor["type"] != "token" || actor["name"] != "test-editor" || actor["id"] == "" {
			t.Errorf("actor = %v", actor)
		}
		if _, err := time.Parse(time.RFC3339Nano, second["recorded_at"].(string)); err != nil {
			t.Errorf("recorded_at = %v", second["recorded_at"])
		}
		// the history is not in the future either: any earlier date is now refused
		mustStatus(t, tr(p, map[string]any{"to": "operational", "effective_on": "2020"}, nil), 422)

		// an undated initial entry does not constrain the next one
		e.mustCreate(t, "/api/v1/projects", "editor", projectBody("undatiert", nil))
		if h := e.get("/api/v1/projects/undatiert/history", "").Obj(t)["items"].([]any); h[0].(map[string]any)["effective_on"] != nil {
			t.Errorf("initial entry without dates = %v", h[0])
		}
		mustStatus(t, tr("/api/v1/projects/undatiert", map[string]any{"to": "in_progress", "effective_on": "1999"}, nil), 200)
		// a deleted project cannot move
		mustStatus(t, e.do("DELETE", "/api/v1/projects/undatiert", req{as: "editor"}), 204)
		mustStatus(t, tr("/api/v1/projects/undatiert", map[string]any{"to": "operational"}, nil), 404)
		mustStatus(t, tr("/api/v1/projects/gibt-es-nicht", map[string]any{"to": "operational"}, nil), 404)
		mustStatus(t, tr("/api/v1/projects/gibt-es-nicht", map[string]any{"to": "operational"}, map[string]string{"If-Match": `"x.1"`}), 404)
		mustStatus(t, tr("/api/v1/projects/undatiert", map[string]any{"to": "operational"}, map[string]string{"If-Match": "*"}), 404)

		// the cooperation machine, with the seeded cooperation
		c := "/api/v1/cooperations/it-kooperation-muenster-lwl"
		r := tr(c, map[string]any{"to": "planned"}, nil)
		mustStatus(t, r, 409)
		if got := sorted(allowedOf(t, r)); !slices.Equal(got, []string{"ended", "suspended"}) {
			t.Errorf("allowed from active = %v", got)
		}
		mustStatus(t, tr(c, map[string]any{"to": "suspended", "effective_on": "2016-10"}, nil), 422)
		mustStatus(t, tr(c, map[string]any{"to": "suspended", "effective_on": "2019", "reason": "Pause"}, nil), 200)
		ch := e.get(c+"/history", "").Obj(t)["items"].([]any)
		if last := ch[len(ch)-1].(map[string]any); last["from"] != "active" || last["to"] != "suspended" || last["effective_on"] != "2019" {
			t.Errorf("cooperation history = %v", ch)
		}
	})
}

// TestConcurrentIfMatch: of 20 PATCHes racing with the same If-Match exactly one wins.
func TestConcurrentIfMatch(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for _, path := range []string{"/api/v1/projects/it-hotline", "/api/v1/cooperations/it-kooperation-muenster-lwl", "/api/v1/partners/citeq"} {
			tag := e.get(path, "").Header.Get("ETag")
			const n = 20
			statuses := make([]int, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					statuses[i] = e.do("PATCH", path, req{as: "editor", headers: map[string]string{"If-Match": tag},
						body: map[string]any{"description": fmt.Sprintf("Schreiber %d", i)}}).Status
				}()
			}
			close(start)
			wg.Wait()
			winners, stale := 0, 0
			winner := -1
			for i, s := range statuses {
				switch s {
				case 200:
					winners++
					winner = i
				case 412:
					stale++
				}
			}
			if winners != 1 || stale != n-1 {
				t.Fatalf("%s: %d × 200, %d × 412 of %d: %v", path, winners, stale, n, statuses)
			}
			got := e.get(path, "").Obj(t)
			if got["description"] != fmt.Sprintf("Schreiber %d", winner) || got["version"] != float64(2) {
				t.Errorf("%s: after the race: %v (version %v), want writer %d", path, got["description"], got["version"], winner)
			}
		}
	})
}

// TestConcurrentWrites: 200 creates and 20 patches at once; every acknowledged write
// is there and nothing else. A write the service sheds under overload (503 when the
// request's deadline passes, as on a machine busy with other test packages) must have
// left nothing behind.
func TestConcurrentWrites(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		const creates, patches = 200, 20
		for i := range patches {
			e.mustCreate(t, "/api/v1/projects", "editor", projectBody(fmt.Sprintf("patch-%02d", i), map[string]any{"tags": []string{"patchziel"}}))
		}
		createStatus := make([]int, creates)
		patchStatus := make([]int, patches)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range creates {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				body := projectBody(fmt.Sprintf("parallel-%03d", i), map[string]any{"tags": []string{"parallel"},
					"participants": []any{map[string]any{"partner": []string{"citeq", "lwl", "lwl-it"}[i%3], "role": "lead"}}})
				createStatus[i] = e.do("POST", "/api/v1/projects", req{as: "editor", body: body}).Status
			}()
		}
		for i := range patches {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				patchStatus[i] = e.do("PATCH", fmt.Sprintf("/api/v1/projects/patch-%02d", i), req{as: "editor",
					body: map[string]any{"description": fmt.Sprintf("gepatcht %d", i), "tags": []string{"patchziel", "gepatcht"}}}).Status
			}()
		}
		close(start)
		wg.Wait()

		var acked []string
		for i, s := range createStatus {
			switch s {
			case http.StatusCreated:
				acked = append(acked, fmt.Sprintf("parallel-%03d", i))
			case http.StatusServiceUnavailable:
			default:
				t.Errorf("create %d: status %d", i, s)
			}
		}
		if len(acked) < creates {
			t.Logf("%d of %d creates acknowledged", len(acked), creates)
		}
		if got := sorted(e.allSlugs(t, "/api/v1/projects?tag=parallel&limit=37", "")); !slices.Equal(got, acked) {
			t.Errorf("stored parallel projects (%d) differ from the acknowledged ones (%d)", len(got), len(acked))
		}
		for i, s := range patchStatus {
			p := e.get(fmt.Sprintf("/api/v1/projects/patch-%02d", i), "").Obj(t)
			switch s {
			case 200:
				if p["description"] != fmt.Sprintf("gepatcht %d", i) || p["version"] != float64(2) || !slices.Contains(toStrings(p["tags"]), "gepatcht") {
					t.Errorf("acknowledged patch %d missing: %v", i, p)
				}
			case http.StatusServiceUnavailable: // shed under overload, like a create: then not written
				if p["version"] != float64(1) {
					t.Errorf("patch %d answered 503 but was written: %v", i, p)
				}
			default:
				t.Errorf("patch %d: status %d", i, s)
				if p["version"] != float64(1) {
					t.Errorf("unacknowledged patch %d was written: %v", i, p)
				}
			}
		}
		total := e.get("/api/v1/projects?limit=1", "").Obj(t)["total"].(float64)
		if int(total) != 6+patches+len(acked) {
			t.Errorf("total projects %v, want %d", total, 6+patches+len(acked))
		}
		// the feed holds one create per acknowledged project, and nothing for the others
		creates0 := 0
		after := 0.0
		for {
			r := e.get(fmt.Sprintf("/api/v1/changes?resource_type=project&limit=1000&after=%d", int(after)), "reader")
			mustStatus(t, r, 200)
			var page struct {
				Items []struct {
					ID      float64
					Action  string
					Changes map[string]struct{ New any }
				}
				NextCursor *string `json:"next_cursor"`
			}
			_ = json.Unmarshal(r.Body, &page)
			for _, it := range page.Items {
				if slug, _ := it.Changes["slug"].New.(string); it.Action == "create" && len(slug) > 9 && slug[:9] == "parallel-" {
					creates0++
				}
				after = it.ID
			}
			if len(page.Items) == 0 { // caught up (next_cursor stays the position)
				break
			}
		}
		if creates0 != len(acked) {
			t.Errorf("feed has %d creates of parallel projects, want %d", creates0, len(acked))
		}
	})
}
