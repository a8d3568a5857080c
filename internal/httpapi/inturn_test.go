package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// TestUnconditionalWritesInTurn: 64 parallel PATCHes without If-Match, each of one
// field (round robin over ten, finance's amounts among them), all answer 200; the
// version rises by 64; the feed holds 64 updates, each changing its own field from
// the value the one before it left (no change lost), and the final state is the last
// value of each field. RFC 9110 allows 412 only for a precondition the client sent.
func TestUnconditionalWritesInTurn(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		created := e.mustCreate(t, "/api/v1/projects", "admin", projectBody("parallel", map[string]any{
			"finance": map[string]any{"budget_planned": "1.00"}}))
		id, v0 := created["id"].(string), int(created["version"].(float64))
		fields := []string{"title", "description", "started_on", "planned_end_on", "legal_basis", "tags", "sources",
			"finance.budget_planned", "finance.cost_actual", "finance.savings_estimated"}
		value := func(i int) any {
			switch fields[i%len(fields)] {
			case "title":
				return fmt.Sprintf("Titel %d", i)
			case "description":
				return fmt.Sprintf("Beschreibung %d", i)
			case "started_on":
				return fmt.Sprintf("19%02d", i)
			case "planned_end_on":
				return fmt.Sprintf("%d-01", 2040+i)
			case "legal_basis":
				return []any{fmt.Sprintf("Grundlage %d", i)}
			case "tags":
				return []any{fmt.Sprintf("tag-%d", i)}
			case "sources":
				return []any{map[string]any{"title": fmt.Sprintf("Quelle %d", i)}}
			}
			return fmt.Sprintf("%d.00", i) // the amounts
		}
		body := func(i int) map[string]any {
			f := fields[i%len(fields)]
			if len(f) > 8 && f[:8] == "finance." {
				return map[string]any{"finance": map[string]any{f[8:]: value(i)}}
			}
			return map[string]any{f: value(i)}
		}
		const n = 64
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// by id and by slug: two ways to name it, which do not wait for each
				// other's turn, so that writes also overtake one another and retry
				ref := id
				if i%2 == 1 {
					ref = "parallel"
				}
				statuses[i] = e.do(http.MethodPatch, "/api/v1/projects/"+ref, req{as: "admin", body: body(i)}).Status
			}()
		}
		wg.Wait()
		for i, s := range statuses {
			if s != 200 {
				t.Errorf("PATCH %d (%v): %d", i, body(i), s)
			}
		}
		final := e.get("/api/v1/projects/"+id, "admin").Obj(t)
		if got := int(final["version"].(float64)); got != v0+n {
			t.Errorf("version %d, want %d", got, v0+n)
		}

		var updates []feedItem
		for _, it := range e.readFeed(t, "&resource_type=project&resource_id="+id, "admin", 500) {
			if it.Action == "update" {
				updates = append(updates, it)
			}
		}
		if len(updates) != n {
			t.Fatalf("%d update entries, want %d", len(updates), n)
		}
		// the state before the PATCHes, field by field, then each change in feed order
		state := map[string]any{}
		for _, f := range fields {
			state[f] = fieldOf(created, f)
		}
		seen := map[int]bool{}
		for k, u := range updates {
			if u.Version != v0+k+1 || len(u.Changes) != 1 {
				t.Errorf("entry %d: version %d, changes %v", k, u.Version, u.Changes)
				continue
			}
			i, f := patchOf(t, u, fields, value)
			if i < 0 || seen[i] {
				t.Errorf("entry %d records no PATCH of this test, or one twice: %v", k, u.Changes)
				continue
			}
			seen[i] = true
			var old any
			for key, c := range u.Changes {
				old = c.Old
				if key == "finance" {
					old = c.Old.(map[string]any)[f[8:]]
				}
			}
			if !jsonEq(normal(f, old), state[f]) {
				t.Errorf("entry %d changed %s from %v, but the change before left %v: a change was lost", k, f, old, state[f])
			}
			state[f] = normal(f, value(i))
		}
		for _, f := range fields {
			if got := fieldOf(final, f); !jsonEq(got, state[f]) {
				t.Errorf("final %s = %v, want %v (the last change of it)", f, got, state[f])
			}
		}
	})
}

// patchOf finds the PATCH (its number and field) whose change an update entry
// records: the one field it changes (within finance: the amount whose value differs).
func patchOf(t *testing.T, u feedItem, fields []string, value func(int) any) (int, string) {
	t.Helper()
	for key, c := range u.Changes {
		f, got := key, c.New
		if key == "finance" {
			oldFin, _ := c.Old.(map[string]any)
			newFin, _ := c.New.(map[string]any)
			for sub, v := range newFin {
				if !jsonEq(v, oldFin[sub]) {
					f, got = "finance."+sub, v
				}
			}
		}
		if key == "sources" {
			got = sourceTitles(got)
		}
		for i := range 64 {
			if fields[i%len(fields)] == f && jsonEq(got, normal(f, value(i))) {
				return i, f
			}
		}
	}
	return -1, ""
}

// normal is a PATCH's value as fieldOf reads it back.
func normal(f string, v any) any {
	if f == "sources" {
		return sourceTitles(v)
	}
	return v
}

// fieldOf reads a field of a project answer ("finance.cost_actual" is nested).
func fieldOf(p map[string]any, f string) any {
	if len(f) > 8 && f[:8] == "finance." {
		fin, _ := p["finance"].(map[string]any)
		return fin[f[8:]]
	}
	if f == "sources" {
		return sourceTitles(p[f])
	}
	return p[f]
}

// sourceTitles reduces sources to their titles (answers add empty fields).
func sourceTitles(v any) any {
	list, _ := v.([]any)
	out := []any{}
	for _, s := range list {
		out = append(out, s.(map[string]any)["title"])
	}
	return out
}

func jsonEq(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return reflect.DeepEqual(x, y)
}

// TestTransitionsAndDeletesInTurn: a transition or a DELETE without If-Match racing
// PATCHes is applied in turn, never 412; with a stale If-Match it is 412.
func TestTransitionsAndDeletesInTurn(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for _, last := range []struct {
			method, path string
			body         any
			want         int
		}{
			{http.MethodPost, "/transitions", map[string]any{"to": "in_progress"}, 200},
			{http.MethodDelete, "", nil, 204},
		} {
			p := e.mustCreate(t, "/api/v1/projects", "editor", projectBody("rennen-"+strings.ToLower(last.method), nil))
			id := p["id"].(string)
			var wg sync.WaitGroup
			statuses := make([]int, 17)
			for i := range 17 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if i == 8 {
						statuses[i] = e.do(last.method, "/api/v1/projects/"+id+last.path, req{as: "editor", body: last.body}).Status
						return
					}
					statuses[i] = e.do(http.MethodPatch, "/api/v1/projects/"+id, req{as: "editor",
						body: map[string]any{"description": fmt.Sprintf("Stand %d", i)}}).Status
				}()
			}
			wg.Wait()
			for i, s := range statuses {
				switch {
				case i == 8 && s != last.want:
					t.Errorf("%s: %d, want %d", last.method, s, last.want)
				case i != 8 && s != 200 && !(last.method == http.MethodDelete && s == 404):
					t.Errorf("PATCH %d racing %s: %d", i, last.method, s)
				}
			}
		}
		// If-Match is a precondition the client asked for: stale is 412
		p := e.mustCreate(t, "/api/v1/projects", "editor", projectBody("bedingt", nil))
		stale := fmt.Sprintf(`"%s.%d"`, p["id"], int(p["version"].(float64)))
		mustStatus(t, e.do(http.MethodPatch, "/api/v1/projects/bedingt", req{as: "editor", body: map[string]any{"title": "neu"}}), 200)
		for _, r := range []struct {
			method, path string
			body         any
		}{{http.MethodPatch, "", map[string]any{"title": "alt"}}, {http.MethodPost, "/transitions", map[string]any{"to": "in_progress"}},
			{http.MethodDelete, "", nil}} {
			mustStatus(t, e.do(r.method, "/api/v1/projects/bedingt"+r.path, req{as: "editor", body: r.body,
				headers: map[string]string{"If-Match": stale}}), 412)
		}
	})
}
