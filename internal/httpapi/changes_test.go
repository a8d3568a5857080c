package httpapi_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// feedItem is one change as the test reads it.
type feedItem struct {
	ID           int64
	At           string
	Actor        struct{ Type, ID, Name string }
	RequestID    string `json:"request_id"`
	Action       string
	ResourceType string `json:"resource_type"`
	ResourceID   string `json:"resource_id"`
	Version      int
	Changes      map[string]struct{ Old, New any }
}

// readFeed reads the whole feed after a cursor, following next_cursor.
func (e *apiEnv) readFeed(t *testing.T, query, as string, limit int) []feedItem {
	t.Helper()
	var out []feedItem
	after := ""
	for i := 0; ; i++ {
		if i > 10000 {
			t.Fatal("feed does not end")
		}
		path := fmt.Sprintf("/api/v1/changes?limit=%d%s", limit, query)
		if after != "" {
			path += "&after=" + after
		}
		r := e.get(path, as)
		mustStatus(t, r, 200)
		var page struct {
			Items      []feedItem
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.Body, &page); err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == nil {
			t.Fatalf("next_cursor null reading oldest first (after %q, %d items)", after, len(page.Items))
		}
		if len(page.Items) == 0 {
			// caught up: the cursor stays where it was (the start: the newest entry), or
			// moves past changes left out for this caller, never back
			if a, n := atoi(after), atoi(*page.NextCursor); after != "" && n != a && !(n > a && as != "controlling" && as != "admin") {
				t.Fatalf("caught up after %s, next_cursor moved to %s", after, *page.NextCursor)
			}
			if l := r.Header.Get("Link"); !strings.Contains(l, "after="+*page.NextCursor) || !strings.HasSuffix(l, `rel="next"`) {
				t.Fatalf("caught up: Link %q", l)
			}
			return out
		}
		if want := strconv.FormatInt(page.Items[len(page.Items)-1].ID, 10); *page.NextCursor != want {
			t.Fatalf("next_cursor %q, want the last id %s", *page.NextCursor, want)
		}
		after = *page.NextCursor
	}
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func TestChangeFeedAccess(t *testing.T) {
	for _, public := range []bool{true, false} {
		t.Run(fmt.Sprintf("public_read=%v", public), func(t *testing.T) {
			forEachAPIWith(t, httpapi.Options{PublicRead: public}, func(t *testing.T, e *apiEnv) {
				mustStatus(t, e.get("/api/v1/changes", ""), 401)
				mustStatus(t, e.get("/api/v1/changes", "ikz_kein-token"), 401)
				for _, who := range []string{"reader", "controlling", "editor", "editor-citeq", "admin"} {
					mustStatus(t, e.get("/api/v1/changes", who), 200)
				}
			})
		})
	}
}

func TestChangeFeed(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		for _, bad := range []string{"after=-1", "after=x", "after=1.5", "limit=0", "limit=1001", "limit=x", "resource_type=planet",
			"resource_type=project,partner", "resource_id=It_Hotline", "resource_id=" + strings.Repeat("a", 101), "order=up", "order=asc,desc",
			"cursor=3", "colour=red"} {
			mustStatus(t, e.getInvalid("/api/v1/changes?"+bad, "reader"), 400)
		}
		seed := e.readFeed(t, "", "reader", 1000)
		if len(seed) < 14 { // 6 partners, 1 solution, 1 cooperation, 6 projects
			t.Fatalf("seed feed has %d entries", len(seed))
		}
		for i := 1; i < len(seed); i++ {
			if seed[i].ID <= seed[i-1].ID {
				t.Fatalf("ids not strictly increasing: %d after %d", seed[i].ID, seed[i-1].ID)
			}
		}
		if a := seed[0].Actor; a.Type != "system" || a.Name != "system" {
			t.Errorf("seed actor = %+v", a)
		}
		last := seed[len(seed)-1].ID
		// nothing newer: empty page, next_cursor the current position (never null)
		r := e.get(fmt.Sprintf("/api/v1/changes?after=%d", last), "reader")
		mustStatus(t, r, 200)
		if want := fmt.Sprintf("{\"items\":[],\"next_cursor\":\"%d\"}\n", last); string(r.Body) != want {
			t.Errorf("caught-up page = %s, want %s", r.Body, want)
		}
		// a page of limit
		if page := e.get("/api/v1/changes?limit=3", "reader").Obj(t); len(page["items"].([]any)) != 3 || page["next_cursor"] != fmt.Sprint(seed[2].ID) {
			t.Errorf("limit=3 page: %v", page["next_cursor"])
		}

		// a create: every field with the initial status, actor, request id, version
		cr := e.do("POST", "/api/v1/projects", req{as: "editor", headers: map[string]string{"X-Request-ID": "req-feed-1"},
			body: projectBody("im-feed", map[string]any{"started_on": "2020"})})
		mustStatus(t, cr, 201)
		id := cr.Obj(t)["id"].(string)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/im-feed", req{as: "editor", body: map[string]any{"title": "Neuer Titel"}}), 200)
		mustStatus(t, e.do("POST", "/api/v1/projects/im-feed/transitions", req{as: "admin", body: map[string]any{"to": "in_progress", "effective_on": "2021", "reason": "los"}}), 200)
		mustStatus(t, e.do("DELETE", "/api/v1/projects/im-feed", req{as: "editor"}), 204)
		mustStatus(t, e.do("POST", "/api/v1/projects/im-feed/restore", req{as: "admin"}), 200)

		items := e.readFeed(t, "&resource_id="+id, "reader", 2)
		if len(items) != 5 {
			t.Fatalf("feed of im-feed has %d entries: %+v", len(items), items)
		}
		c := items[0]
		if c.Action != "create" || c.ResourceType != "project" || c.ResourceID != id || c.Version != 1 || c.RequestID != "req-feed-1" {
			t.Errorf("create entry = %+v", c)
		}
		if c.Actor.Type != "token" || c.Actor.Name != "test-editor" || c.Actor.ID == "" {
			t.Errorf("create actor = %+v", c.Actor)
		}
		if c.Changes["status"].New != "planned" || c.Changes["slug"].New != "im-feed" || c.Changes["started_on"].New != "2020" || c.Changes["slug"].Old != nil {
			t.Errorf("create changes = %v", c.Changes)
		}
		if _, has := c.Changes["finance"]; has {
			t.Error("reader sees finance in the feed")
		}
		u := items[1]
		if u.Action != "update" || u.Version != 2 || len(u.Changes) != 1 || u.Changes["title"].Old != "Vorhaben im-feed" || u.Changes["title"].New != "Neuer Titel" {
			t.Errorf("update entry = %+v", u)
		}
		tr := items[2]
		if tr.Action != "transition" || tr.Version != 3 || tr.Changes["status"].Old != "planned" || tr.Changes["status"].New != "in_progress" || tr.Actor.Name != "test-admin" {
			t.Errorf("transition entry = %+v", tr)
		}
		if items[3].Action != "delete" || items[3].Version != 4 || items[4].Action != "restore" || items[4].Version != 5 {
			t.Errorf("delete/restore entries = %+v", items[3:])
		}
		for _, it := range e.readFeed(t, "&resource_type=partner", "reader", 100) {
			if it.ResourceType != "partner" {
				t.Fatalf("resource_type filter let through %+v", it)
			}
		}
		if got := e.readFeed(t, "&resource_type=solution&resource_id="+id, "reader", 100); len(got) != 0 {
			t.Errorf("project id under resource_type=solution: %v", got)
		}
	})
}

// TestChangeFeedReplay replays the feed from the start, as a portal would, and finds
// exactly the current state of every resource.
func TestChangeFeedReplay(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		// a day of edits of every kind
		w := func(method, path, as string, body any, want int) {
			t.Helper()
			mustStatus(t, e.do(method, path, req{as: as, body: body}), want)
		}
		w("POST", "/api/v1/partners", "editor", map[string]any{"slug": "kreis-steinfurt", "name": "Kreis Steinfurt", "type": "district", "ags": "05566000", "state": "DE-NW"}, 201)
		w("PATCH", "/api/v1/partners/kreis-steinfurt", "editor", map[string]any{"address": map[string]any{"city": "Steinfurt", "postal_code": "48565"}, "employees": map[string]any{"count": 1200, "as_of": "2024"}}, 200)
		w("PATCH", "/api/v1/partners/lwl-it", "editor", map[string]any{"name": "LWL.IT Service Abteilung (neu)", "short_name": "LWL.IT"}, 200)
		w("PATCH", "/api/v1/partners/citeq", "editor-citeq", map[string]any{"website": "https://www.citeq.de", "employees": nil}, 200)
		w("POST", "/api/v1/partners", "admin", map[string]any{"slug": "wird-geloescht", "name": "Wird gelöscht", "type": "other"}, 201)
		w("DELETE", "/api/v1/partners/wird-geloescht", "admin", nil, 204)
		w("POST", "/api/v1/partners", "admin", map[string]any{"slug": "kommt-wieder", "name": "Kommt wieder", "type": "other", "parent": "lwl"}, 201)
		w("DELETE", "/api/v1/partners/kommt-wieder", "admin", nil, 204)
		w("POST", "/api/v1/partners/kommt-wieder/restore", "admin", nil, 200)

		w("POST", "/api/v1/cooperations", "editor", coopBody("steinfurt-muenster", map[string]any{"started_on": "2023", "legal_basis": []string{"GkG NRW"},
			"members": []any{map[string]any{"partner": "kreis-steinfurt", "role": "party"}, map[string]any{"partner": "stadt-muenster", "role": "party"}}}), 201)
		w("PATCH", "/api/v1/cooperations/steinfurt-muenster", "editor", map[string]any{"vat_treatment": "under_review", "notice_period_months": 6,
			"members": []any{map[string]any{"partner": "kreis-steinfurt", "role": "party"}, map[string]any{"partner": "stadt-muenster", "role": "party"}, map[string]any{"partner": "citeq", "role": "implementer"}}}, 200)
		w("POST", "/api/v1/cooperations/steinfurt-muenster/transitions", "editor", map[string]any{"to": "active", "effective_on": "2023-06"}, 200)
		w("PATCH", "/api/v1/cooperations/it-kooperation-muenster-lwl", "editor", map[string]any{"procurement_exempt": true}, 200)

		w("POST", "/api/v1/solutions", "editor", map[string]any{"slug": "ticketsystem", "name": "Ticketsystem", "developers": []string{"citeq"}}, 201)
		w("PATCH", "/api/v1/solutions/ticketsystem", "editor", map[string]any{"category": "service_desk", "developers": []string{"citeq", "kreis-steinfurt"}}, 200)
		w("POST", "/api/v1/solutions", "editor", map[string]any{"slug": "eintagsfliege", "name": "Eintagsfliege"}, 201)
		w("DELETE", "/api/v1/solutions/eintagsfliege", "editor", nil, 204)

		w("POST", "/api/v1/projects", "editor-controlling-citeq", projectBody("gemeinsamer-service-desk", map[string]any{
			"cooperation": "steinfurt-muenster", "solution": "ticketsystem", "category": "service_desk", "started_on": "2023-07",
			"participants": []any{map[string]any{"partner": "citeq", "role": "provider", "since": "2023-07"}, map[string]any{"partner": "kreis-steinfurt", "role": "consumer"}},
			"finance":      map[string]any{"budget_planned": "50000", "cost_actual": "12000.10"}, "tags": []string{"servicedesk"},
			"sources": []any{map[string]any{"title": "Kreistagsvorlage", "url": "https://example.org/kt", "published_on": "2023-05-02"}}}), 201)
		w("PATCH", "/api/v1/projects/gemeinsamer-service-desk", "admin", map[string]any{"finance": map[string]any{"cost_actual": nil, "savings_estimated": "3000"}, "planned_end_on": "2025"}, 200)
		w("POST", "/api/v1/projects/gemeinsamer-service-desk/transitions", "editor", map[string]any{"to": "in_progress", "effective_on": "2023-08"}, 200)
		w("POST", "/api/v1/projects/gemeinsamer-service-desk/transitions", "editor", map[string]any{"to": "operational", "effective_on": "2024-01", "reason": "Go-live"}, 200)
		w("PATCH", "/api/v1/projects/it-hotline", "editor-citeq", map[string]any{"description": "Neu beschrieben", "participants": []any{
			map[string]any{"partner": "lwl-it", "role": "provider"}, map[string]any{"partner": "citeq", "role": "consumer", "since": "2017"}}}, 200)
		w("POST", "/api/v1/projects/rechenzentren/transitions", "editor", map[string]any{"to": "in_progress"}, 200)
		w("DELETE", "/api/v1/projects/it-sicherheit", "editor", nil, 204)
		w("DELETE", "/api/v1/projects/behoerdennetz-zugang", "editor", nil, 204)
		w("POST", "/api/v1/projects/behoerdennetz-zugang/restore", "admin", nil, 200)
		w("POST", "/api/v1/projects", "editor", projectBody("kurzlebig", map[string]any{"status": "idea"}), 201)
		w("DELETE", "/api/v1/projects/kurzlebig", "editor", nil, 204)
		// refused writes leave no trace
		w("PATCH", "/api/v1/projects/it-hotline", "editor", map[string]any{"started_on": "2024-13-45"}, 422)
		w("POST", "/api/v1/projects/it-hotline/transitions", "editor", map[string]any{"to": "planned"}, 409)
		w("DELETE", "/api/v1/partners/citeq", "admin", nil, 409)

		// replay
		type replica struct {
			fields  map[string]any
			deleted bool
			version int
		}
		state := map[string]*replica{} // "type/id"
		for _, ch := range e.readFeed(t, "", "controlling", 7) {
			key := ch.ResourceType + "/" + ch.ResourceID
			r := state[key]
			if r == nil && ch.Action != "create" {
				t.Fatalf("%s: %s before its create", key, ch.Action)
			}
			switch ch.Action {
			case "create":
				if r != nil {
					t.Fatalf("second create of %s", key)
				}
				r = &replica{fields: map[string]any{}}
				state[key] = r
				for k, v := range ch.Changes {
					r.fields[k] = v.New
				}
			case "update":
				for k, v := range ch.Changes {
					r.fields[k] = v.New
				}
			case "transition":
				r.fields["status"] = ch.Changes["status"].New
			case "delete":
				r.deleted = true
			case "restore":
				r.deleted = false
			default:
				t.Fatalf("unknown action %q", ch.Action)
			}
			if ch.Version != r.version+1 {
				t.Errorf("%s: version %d follows %d", key, ch.Version, r.version)
			}
			r.version = ch.Version
		}

		// the live resources are exactly the replica's live ones
		live := map[string]bool{}
		for typ, coll := range map[string]string{"partner": "partners", "cooperation": "cooperations", "project": "projects", "solution": "solutions"} {
			var page struct{ Items []struct{ ID string } }
			r := e.get("/api/v1/"+coll+"?limit=500", "controlling")
			mustStatus(t, r, 200)
			_ = json.Unmarshal(r.Body, &page)
			for _, it := range page.Items {
				live[typ+"/"+it.ID] = true
			}
		}
		for key, r := range state {
			if live[key] == r.deleted {
				t.Errorf("%s: replica deleted=%v, API live=%v", key, r.deleted, live[key])
			}
		}
		for key := range live {
			if state[key] == nil {
				t.Errorf("%s is live but never appeared in the feed", key)
			}
		}

		// every live resource equals its replica in every field the feed carries;
		// embedded refs carry the id, and their slug and name are those of the
		// referenced resource's replica
		nameOf := func(key string) (string, string) {
			r := state[key]
			if r == nil {
				return "", ""
			}
			name, _ := r.fields["name"].(string)
			if title, ok := r.fields["title"].(string); ok {
				name = title
			}
			slug, _ := r.fields["slug"].(string)
			return slug, name
		}
		for key, r := range state {
			if r.deleted {
				continue
			}
			typ, id := splitKey(key)
			res := e.get("/api/v1/"+typ+"s/"+id, "controlling")
			mustStatus(t, res, 200)
			got := res.Obj(t)
			if got["version"] != float64(r.version) {
				t.Errorf("%s: version %v, replica %d", key, got["version"], r.version)
			}
			for field, want := range r.fields {
				var refs []map[string]any
				g := normalize(got[field], &refs)
				w := normalize(want, nil)
				if !reflect.DeepEqual(g, w) {
					t.Errorf("%s.%s = %#v, replica %#v", key, field, g, w)
				}
				for _, ref := range refs {
					slug, name := "", ""
					for _, t := range []string{"partner", "cooperation", "project", "solution"} {
						if s, n := nameOf(t + "/" + ref["id"].(string)); s != "" {
							slug, name = s, n
						}
					}
					if ref["slug"] != slug || ref["name"] != name {
						t.Errorf("%s.%s: ref %v, replica says %s %q", key, field, ref, slug, name)
					}
				}
			}
		}
	})
}

func splitKey(key string) (string, string) {
	for i := range key {
		if key[i] == '/' {
			return key[:i], key[i+1:]
		}
	}
	return key, ""
}

// normalize makes an API value and a feed value comparable: nulls and empty objects
// are dropped (the API omits empty optional fields), brief refs become their id
// (collected into refs when given); the API's carry href, the feed's old and new values not.
func normalize(v any, refs *[]map[string]any) any {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["id"]; ok && x["slug"] != nil && (len(x) == 3 || len(x) == 4 && x["href"] != nil) {
			if refs != nil {
				*refs = append(*refs, x)
			}
			return x["id"]
		}
		out := map[string]any{}
		for k, val := range x {
			if n := normalize(val, refs); n != nil {
				out[k] = n
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = normalize(val, refs)
		}
		return out
	case json.Number:
		f, _ := x.Float64()
		return f
	default:
		return v
	}
}

// TestChangeFeedFollow: a portal that follows the feed as documented: once caught up,
// passing back next_cursor never restarts it from the beginning; it finds its own
// write; resource_id takes the slug; order=desc reads the newest first and pages
// backwards through the whole log.
func TestChangeFeedFollow(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		page := func(query string) (items []feedItem, next *string, link string) {
			t.Helper()
			r := e.get("/api/v1/changes?"+query, "reader")
			mustStatus(t, r, 200)
			var p struct {
				Items      []feedItem
				NextCursor *string `json:"next_cursor"`
			}
			if err := json.Unmarshal(r.Body, &p); err != nil {
				t.Fatal(err)
			}
			return p.Items, p.NextCursor, r.Header.Get("Link")
		}
		all := e.readFeed(t, "", "reader", 1000)
		newest := all[len(all)-1].ID

		// caught up, the cursor stays; a cursor beyond the newest entry comes back to it
		items, next, link := page(fmt.Sprintf("after=%d", newest))
		if len(items) != 0 || next == nil || *next != fmt.Sprint(newest) || !strings.Contains(link, fmt.Sprintf("after=%d", newest)) {
			t.Fatalf("caught up: %d items, next %v, Link %q", len(items), next, link)
		}
		if _, next, _ = page(fmt.Sprintf("after=%d", newest+1000)); next == nil || *next != fmt.Sprint(newest) {
			t.Errorf("after beyond the newest entry: next_cursor %v, want %d", next, newest)
		}
		// a write, then the next poll with the cursor it had: exactly that write
		mustStatus(t, e.do("PATCH", "/api/v1/partners/citeq", req{as: "admin", body: map[string]any{"short_name": "citeq GmbH"}}), 200)
		items, next, _ = page("after=" + fmt.Sprint(newest))
		if len(items) != 1 || items[0].ResourceType != "partner" || items[0].Action != "update" || next == nil || *next != fmt.Sprint(items[0].ID) {
			t.Fatalf("poll after a write: %+v next %v", items, next)
		}
		written := items[0].ID
		// the newest first: the write just made
		items, _, _ = page("order=desc&limit=1")
		if len(items) != 1 || items[0].ID != written {
			t.Fatalf("order=desc&limit=1: %+v, want the write %d", items, written)
		}
		// resource_id takes the slug: the same entries as by id
		citeqID := e.get("/api/v1/partners/citeq", "").Obj(t)["id"].(string)
		bySlug := e.readFeed(t, "&resource_id=citeq", "reader", 2)
		byID := e.readFeed(t, "&resource_id="+citeqID, "reader", 2)
		if len(bySlug) < 2 || len(bySlug) != len(byID) || bySlug[len(bySlug)-1].ID != byID[len(byID)-1].ID {
			t.Errorf("resource_id=citeq: %d entries, by id %d", len(bySlug), len(byID))
		}
		if got := e.readFeed(t, "&resource_id=citeq&resource_type=project", "reader", 10); len(got) != 0 {
			t.Errorf("slug citeq among projects: %+v", got)
		}
		if got := e.readFeed(t, "&resource_id=kein-solcher-slug", "reader", 10); len(got) != 0 {
			t.Errorf("unknown slug: %+v", got)
		}
		// newest first, paging backwards through the whole log; null on the oldest page
		var back []int64
		query := "order=desc&limit=4"
		for i := 0; ; i++ {
			if i > 1000 {
				t.Fatal("order=desc does not end")
			}
			items, next, link := page(query)
			for _, it := range items {
				back = append(back, it.ID)
			}
			if next == nil {
				if link != "" {
					t.Errorf("last page backwards with Link %q", link)
				}
				break
			}
			if *next != fmt.Sprint(items[len(items)-1].ID) || !strings.Contains(link, "order=desc") {
				t.Fatalf("order=desc: next %s after %+v, Link %q", *next, items, link)
			}
			query = "order=desc&limit=4&after=" + *next
		}
		if len(back) != len(all)+1 {
			t.Fatalf("order=desc read %d entries, the log has %d", len(back), len(all)+1)
		}
		for i := 1; i < len(back); i++ {
			if back[i] >= back[i-1] {
				t.Fatalf("order=desc not newest first: %v", back)
			}
		}
	})
}

// TestFeedLeavesOutFinanceOnlyChanges: an update of nothing but finance is not in the
// feed of a caller who may not see finance (its id is skipped, the cursor goes past
// it); controlling sees it with its values.
func TestFeedLeavesOutFinanceOnlyChanges(t *testing.T) {
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		p := e.mustCreate(t, "/api/v1/projects", "admin", projectBody("nur-geld", nil))
		id := p["id"].(string)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/"+id, req{as: "admin", body: map[string]any{"finance": map[string]any{"budget_planned": "10.00"}}}), 200)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/"+id, req{as: "admin", body: map[string]any{"title": "Mit Titel", "finance": map[string]any{"cost_actual": "1.00"}}}), 200)
		mustStatus(t, e.do("PATCH", "/api/v1/projects/"+id, req{as: "admin", body: map[string]any{"finance": nil}}), 200)
		query := "&resource_type=project&resource_id=" + id
		for _, tc := range []struct {
			as      string
			actions []string
		}{{"reader", []string{"create", "update"}}, {"editor", []string{"create", "update"}},
			{"controlling", []string{"create", "update", "update", "update"}}} {
			var got []string
			for _, it := range e.readFeed(t, query, tc.as, 1) { // one per page: the cursor must pass the left-out ones
				got = append(got, it.Action)
				if _, money := it.Changes["finance"]; money && tc.as != "controlling" {
					t.Errorf("%s sees finance: %v", tc.as, it.Changes)
				}
				if it.Action == "update" && len(it.Changes) == 0 {
					t.Errorf("%s sees an empty change %d", tc.as, it.ID)
				}
			}
			if !reflect.DeepEqual(got, tc.actions) {
				t.Errorf("%s: actions %v, want %v", tc.as, got, tc.actions)
			}
		}
	})
}
