package httpapi_test

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/httpapi"
)

// TestProjectRepresentationsAgree: a project is written in three places, the Project
// DTO (projects_dto.go, encoding/json), the hand-written writer of the list and get
// answers (jsonwrite.go) and the change log's field map (internal/store/fields.go).
// A project with every field set is answered with every field of the DTO, and its
// create in the change feed names exactly those fields but the metadata, so that a
// field added to one of the three and forgotten in another fails here (the writer's
// bytes against encoding/json's are jsonwrite_test.go's).
func TestProjectRepresentationsAgree(t *testing.T) {
	var dto []string
	for f := range reflect.TypeFor[httpapi.Project]().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		dto = append(dto, name)
	}
	slices.Sort(dto)
	meta := []string{"created_at", "id", "updated_at", "version"}
	forEachAPI(t, func(t *testing.T, e *apiEnv) {
		e.mustCreate(t, "/api/v1/projects", "admin", projectBody("alles-gesetzt", map[string]any{
			"description": "Jedes Feld gesetzt", "solution": "dips-kommunal", "status": "completed",
			"started_on": "2019-03", "planned_end_on": "2020", "ended_on": "2021-06-30",
			"legal_basis": []string{"GkG NRW"}, "tags": []string{"alles"},
			"sources":      []any{map[string]any{"title": "Vorlage", "url": "https://example.org/v", "published_on": "2019-02"}},
			"finance":      map[string]any{"budget_planned": "1000.00", "cost_actual": "900.50", "savings_estimated": "100"},
			"participants": []any{map[string]any{"partner": "citeq", "role": "lead", "since": "2019", "until": "2021"}},
		}))
		got := e.get("/api/v1/projects/alles-gesetzt", "admin").Obj(t)
		if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, dto) {
			t.Fatalf("the answer (writer) has %v, the Project DTO %v", keys, dto)
		}
		var logged []string
		for _, ch := range e.readFeed(t, "&resource_type=project", "admin", 100) {
			if ch.Action == "create" && ch.Changes["slug"].New == "alles-gesetzt" {
				logged = slices.Sorted(maps.Keys(ch.Changes))
			}
		}
		want := slices.DeleteFunc(slices.Clone(dto), func(s string) bool { return slices.Contains(meta, s) })
		if !slices.Equal(logged, want) {
			t.Errorf("the change log records %v, the DTO's fields but metadata are %v", logged, want)
		}
	})
}
