package clientcheck_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	ikzclient "github.com/ikz-verzeichnis/ikz-verzeichnis/client"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// TestClientEndToEnd drives a running server (seeded, on SQLite and on PostgreSQL)
// through the generated client the way a portal would: list, search, create, patch
// with If-Match, transition, statistics, the change feed.
//
// With IKZ_E2E_URL set it drives the server at that URL instead, with the tokens in
// IKZ_E2E_ADMIN_TOKEN and IKZ_E2E_CONTROLLING_TOKEN: .ci/run points it at Prism's
// validating proxy in front of the built binary, so that a strict third-party
// validator sees every request and answer of the scenario.
func TestClientEndToEnd(t *testing.T) {
	if base := os.Getenv("IKZ_E2E_URL"); base != "" {
		portal(t, base, http.DefaultClient, map[string]string{
			"admin": os.Getenv("IKZ_E2E_ADMIN_TOKEN"), "controlling": os.Getenv("IKZ_E2E_CONTROLLING_TOKEN"),
		})
		return
	}
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		sys := coop.WithActor(context.Background(), coop.System)
		if _, err := db.Seed(sys); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(httpapi.New(db, httpapi.Options{
			PublicRead: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		}).Handler())
		t.Cleanup(srv.Close)
		tokens := map[string]string{}
		for _, role := range []string{"admin", "controlling"} {
			_, secret, err := db.CreateToken(sys, coop.TokenDraft{Name: "e2e-" + role, Roles: []string{role}})
			if err != nil {
				t.Fatal(err)
			}
			tokens[role] = secret
		}
		portal(t, srv.URL, srv.Client(), tokens)
	})
}

// portal is the scenario: a portal's calls through the generated client against the
// server at base (seeded), with tokens by role.
func portal(t *testing.T, base string, hc *http.Client, tokens map[string]string) {
	ctx := context.Background()
	{
		client := func(role string) *ikzclient.ClientWithResponses {
			opts := []ikzclient.ClientOption{ikzclient.WithHTTPClient(hc)}
			if role != "" {
				secret := tokens[role]
				if secret == "" {
					t.Fatalf("no %s token", role)
				}
				opts = append(opts, ikzclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
					r.Header.Set("Authorization", "Bearer "+secret)
					return nil
				}))
			}
			c, err := ikzclient.NewClientWithResponses(base, opts...)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		anon, admin, controlling := client(""), client("admin"), client("controlling")

		// list, page by page
		limit := int32(2)
		status := []ikzclient.ListProjectsParamsStatus{ikzclient.ListProjectsParamsStatusOperational, ikzclient.ListProjectsParamsStatusInProgress}
		var seen []string
		params := &ikzclient.ListProjectsParams{Limit: &limit, Status: &status, Sort: ptr("title")}
		for page := 0; ; page++ {
			list, err := anon.ListProjectsWithResponse(ctx, params)
			if err != nil || list.JSON200 == nil {
				t.Fatalf("list projects: %v %s", err, body(list))
			}
			for _, p := range list.JSON200.Items {
				if p.Status != ikzclient.ProjectStatusOperational && p.Status != ikzclient.ProjectStatusInProgress {
					t.Errorf("status filter let %s (%s) through", p.Slug, p.Status)
				}
				if p.Finance != nil {
					t.Errorf("%s: finance shown to an anonymous caller", p.Slug)
				}
				seen = append(seen, p.Slug)
			}
			if list.JSON200.NextCursor == nil {
				if int64(len(seen)) != list.JSON200.Total {
					t.Errorf("paged through %d projects, total says %d", len(seen), list.JSON200.Total)
				}
				break
			}
			if page > 20 {
				t.Fatal("no last page")
			}
			params.Cursor = list.JSON200.NextCursor
		}
		if len(seen) < 2 {
			t.Fatalf("listed only %v", seen)
		}

		// search: a part of a compound finds the project
		types := []ikzclient.SearchParamsTypes{ikzclient.SearchParamsTypesProject, ikzclient.SearchParamsTypesSolution}
		found, err := anon.SearchWithResponse(ctx, &ikzclient.SearchParams{Q: "Archivierung", Types: &types})
		if err != nil || found.JSON200 == nil {
			t.Fatalf("search: %v %s", err, body(found))
		}
		if found.JSON200.Total == 0 || len(found.JSON200.Items) == 0 {
			t.Fatalf("search Archivierung found nothing: %s", found.Body)
		}
		for _, h := range found.JSON200.Items {
			if h.Type != ikzclient.SearchHitTypeProject && h.Type != ikzclient.SearchHitTypeSolution {
				t.Errorf("types filter let a %s through", h.Type)
			}
		}

		// create
		budget := "120000.50"
		created, err := admin.CreateProjectWithResponse(ctx, ikzclient.ProjectCreate{
			Slug: "e2e-portal-sync", Title: "Portal-Synchronisation (E2E)",
			Cooperation: "it-kooperation-muenster-lwl", Category: ikzclient.ProjectCreateCategorySoftware,
			Participants: []ikzclient.ParticipantInput{
				{Partner: "citeq", Role: ikzclient.ParticipantInputRoleLead},
				{Partner: "lwl", Role: ikzclient.ParticipantInputRolePartner, Since: ptr("2025-06")},
			},
			StartedOn: ptr("2025-06"), Tags: &[]string{"portal", "sync"},
			Finance: &ikzclient.FinanceInput{BudgetPlanned: &budget},
		})
		if err != nil || created.JSON201 == nil {
			t.Fatalf("create: %v %s", err, body(created))
		}
		p := created.JSON201
		if p.Status != ikzclient.ProjectStatusPlanned || p.Version != 1 || created.HTTPResponse.Header.Get("Location") == "" {
			t.Errorf("created %s, status %s, version %d, Location %q", p.Slug, p.Status, p.Version, created.HTTPResponse.Header.Get("Location"))
		}
		tag := created.HTTPResponse.Header.Get("ETag")
		id := p.Id.String()

		// patch with If-Match; a stale tag is 412 and changes nothing
		desc := "Abgleich der Vorhaben mit dem Portal."
		patched, err := admin.UpdateProjectWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, id,
			&ikzclient.UpdateProjectParams{IfMatch: &tag}, ikzclient.ProjectPatch{Description: &desc, Tags: &[]string{"portal"}})
		if err != nil || patched.JSON200 == nil {
			t.Fatalf("patch: %v %s", err, body(patched))
		}
		if patched.JSON200.Version != 2 || deref(patched.JSON200.Description) != desc || !slices.Equal(patched.JSON200.Tags, []string{"portal"}) {
			t.Errorf("patched: version %d, description %q, tags %v", patched.JSON200.Version, deref(patched.JSON200.Description), patched.JSON200.Tags)
		}
		stale, err := admin.UpdateProjectWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, id,
			&ikzclient.UpdateProjectParams{IfMatch: &tag}, ikzclient.ProjectPatch{Title: ptr("zu spät")})
		if err != nil || stale.ApplicationproblemJSON412 == nil || stale.ApplicationproblemJSON412.Status != 412 {
			t.Fatalf("stale If-Match: %v %s", err, body(stale))
		}
		tag = patched.HTTPResponse.Header.Get("ETag")

		// transition along the status machine
		moved, err := admin.TransitionProjectWithResponse(ctx, id, &ikzclient.TransitionProjectParams{IfMatch: &tag},
			ikzclient.ProjectTransitionInput{To: ikzclient.ProjectTransitionInputToInProgress, EffectiveOn: ptr("2025-09"), Reason: ptr("Auftrag erteilt")})
		if err != nil || moved.JSON200 == nil {
			t.Fatalf("transition: %v %s", err, body(moved))
		}
		if moved.JSON200.Status != ikzclient.ProjectStatusInProgress || moved.JSON200.Version != 3 {
			t.Errorf("after the transition: %s, version %d", moved.JSON200.Status, moved.JSON200.Version)
		}
		refused, err := admin.TransitionProjectWithResponse(ctx, id, nil, ikzclient.ProjectTransitionInput{To: ikzclient.ProjectTransitionInputToIdea})
		if err != nil || refused.ApplicationproblemJSON409 == nil || refused.ApplicationproblemJSON409.Allowed == nil {
			t.Fatalf("refused transition: %v %s", err, body(refused))
		}

		// statistics: the new project counts, with money for controlling only
		by := ikzclient.ProjectStatsParamsGroupByStatus
		stats, err := controlling.ProjectStatsWithResponse(ctx, &ikzclient.ProjectStatsParams{GroupBy: &by})
		if err != nil || stats.JSON200 == nil {
			t.Fatalf("stats: %v %s", err, body(stats))
		}
		var inProgress *ikzclient.StatsGroup
		for i, g := range stats.JSON200.Groups {
			if g.Key == "in_progress" {
				inProgress = &stats.JSON200.Groups[i]
			}
		}
		if inProgress == nil || inProgress.Count < 1 || inProgress.BudgetPlanned == nil {
			t.Fatalf("stats by status: no in_progress group with money: %s", stats.Body)
		}
		public, err := anon.ProjectStatsWithResponse(ctx, &ikzclient.ProjectStatsParams{GroupBy: &by})
		if err != nil || public.JSON200 == nil {
			t.Fatalf("public stats: %v %s", err, body(public))
		}
		for _, g := range public.JSON200.Groups {
			if g.BudgetPlanned != nil {
				t.Errorf("money sums shown to an anonymous caller: %s", public.Body)
			}
		}

		// a partner without parent: parent is null (a nullable object of its own in the
		// contract, which strict validators accept)
		muenster, err := anon.GetPartnerWithResponse(ctx, "stadt-muenster")
		if err != nil || muenster.JSON200 == nil || muenster.JSON200.Parent != nil {
			t.Fatalf("partner without parent: %v %s", err, body(muenster))
		}
		citeq, err := anon.GetPartnerWithResponse(ctx, "citeq")
		if err != nil || citeq.JSON200 == nil || citeq.JSON200.Parent == nil || citeq.JSON200.Parent.Slug != "stadt-muenster" ||
			citeq.JSON200.Parent.Href != "/api/v1/partners/stadt-muenster" {
			t.Fatalf("partner with parent: %v %s", err, body(citeq))
		}

		// a merge patch that clears: null for a nested object and for a reference
		cleared, err := admin.UpdatePartnerWithBodyWithResponse(ctx, "citeq", nil, "application/merge-patch+json",
			strings.NewReader(`{"address": null, "employees": {"count": 155}}`))
		if err != nil || cleared.JSON200 == nil || cleared.JSON200.Address != nil || cleared.JSON200.Employees == nil || cleared.JSON200.Employees.Count != 155 {
			t.Fatalf("merge patch with null: %v %s", err, body(cleared))
		}
		noSolution, err := admin.UpdateProjectWithBodyWithResponse(ctx, id, nil, "application/merge-patch+json",
			strings.NewReader(`{"solution": null, "finance": null}`))
		if err != nil {
			t.Fatal(err)
		}
		if f := noSolution.JSON200; f == nil || f.Solution != nil || f.Finance == nil || f.Finance.BudgetPlanned != nil {
			t.Fatalf("merge patch clearing solution and finance: %v %s", err, body(noSolution))
		}

		// the status history starts with from: null
		history, err := anon.GetProjectHistoryWithResponse(ctx, id)
		if err != nil || history.JSON200 == nil || len(history.JSON200.Items) < 2 || history.JSON200.Items[0].From != nil {
			t.Fatalf("history: %v %s", err, body(history))
		}

		// the change feed shows the portal its own last write (newest first), and a
		// portal that follows it stays where it is once caught up
		newestFirst, limit1 := ikzclient.ListChangesParamsOrderDesc, int32(1)
		recent, err := admin.ListChangesWithResponse(ctx, &ikzclient.ListChangesParams{Order: &newestFirst, Limit: &limit1})
		if err != nil || recent.JSON200 == nil || len(recent.JSON200.Items) != 1 || recent.JSON200.Items[0].ResourceType != ikzclient.ChangeResourceTypeProject ||
			recent.JSON200.Items[0].ResourceId.String() != id {
			t.Fatalf("newest change: %v %s", err, body(recent))
		}
		slug := "e2e-portal-sync"
		mine, err := admin.ListChangesWithResponse(ctx, &ikzclient.ListChangesParams{ResourceId: &slug})
		if err != nil || mine.JSON200 == nil || len(mine.JSON200.Items) < 4 || mine.JSON200.Items[0].Action != ikzclient.ChangeActionCreate {
			t.Fatalf("changes of %s: %v %s", slug, err, body(mine))
		}
		after := recent.JSON200.Items[0].Id
		caughtUp, err := admin.ListChangesWithResponse(ctx, &ikzclient.ListChangesParams{After: &after})
		if err != nil || caughtUp.JSON200 == nil || len(caughtUp.JSON200.Items) != 0 || caughtUp.JSON200.NextCursor == nil ||
			*caughtUp.JSON200.NextCursor != fmt.Sprint(after) {
			t.Fatalf("caught up: %v %s", err, body(caughtUp))
		}
	}
}

// body describes an unexpected answer: its status and body (every generated
// response type has StatusCode() and a Body field).
func body(r interface{ StatusCode() int }) string {
	v := reflect.ValueOf(r)
	if r == nil || v.IsNil() {
		return "(no answer)"
	}
	return fmt.Sprintf("%d: %s", r.StatusCode(), v.Elem().FieldByName("Body").Bytes())
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
