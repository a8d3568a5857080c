package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata/benchtest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// BenchmarkProjects measures the hot paths of the projects resource on a generated
// directory (package benchdata), on PostgreSQL and on a SQLite file: a list page of
// 50 projects with participants filtered by status, get by slug, create and update.
// It reports ns/op and the database round trips per operation (queries/op).
//
//	go test ./internal/store -run '^$' -bench BenchmarkProjects
//	IKZ_BENCH_SCALE=large go test ./internal/store -run '^$' -bench BenchmarkProjects -timeout 1h
//
// The default directory is benchdata's small preset (200 partners, 500 cooperations,
// 5,000 projects); IKZ_BENCH_SCALE=large loads 10,000 partners, 25,000 cooperations
// and 100,000 projects.
func BenchmarkProjects(b *testing.B) {
	size := benchdata.Sizes["small"]
	if os.Getenv("IKZ_BENCH_SCALE") == "large" {
		size = benchdata.Size{Partners: 10_000, Cooperations: 25_000, Projects: 100_000}
	}
	for _, dialect := range storetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			db := benchtest.MustDB(b, dialect, size)
			benchPartners = nil
			storetest.Gorm(db).Raw("SELECT slug FROM partners ORDER BY slug LIMIT 3").Scan(&benchPartners)
			ctx := coop.WithActor(context.Background(), coop.System)
			queries := benchtest.CountQueries(db)
			statuses := []string{"in_progress", "operational", "planned", "completed", "cancelled"}
			report := func(b *testing.B, ops int) {
				b.ReportMetric(float64(queries.N())/float64(ops), "queries/op")
			}
			b.Run("list", func(b *testing.B) {
				queries.Reset()
				n := 0
				for b.Loop() {
					f := coop.ProjectFilter{Statuses: statuses[n%len(statuses) : n%len(statuses)+1], Page: coop.Page{Limit: 50}}
					res, err := db.FindProjects(ctx, f)
					if err != nil || len(res.Items) != 50 || len(res.Items[0].Participants) < 2 {
						b.Fatalf("list: %d items, %v", len(res.Items), err)
					}
					n++
				}
				report(b, n)
			})
			b.Run("get", func(b *testing.B) {
				queries.Reset()
				n := 0
				for b.Loop() {
					p, err := db.FindProject(ctx, fmt.Sprintf("p-%d", 1+(n*7919)%size.Projects))
					if err != nil || len(p.Participants) < 2 {
						b.Fatalf("get: %v", err)
					}
					n++
				}
				report(b, n)
			})
			b.Run("create", func(b *testing.B) {
				queries.Reset()
				n := 0
				for b.Loop() {
					d := benchDraft(fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), n))
					if _, err := db.CreateProject(ctx, d); err != nil {
						b.Fatal(err)
					}
					n++
				}
				report(b, n)
			})
			b.Run("patch", func(b *testing.B) {
				p, err := db.CreateProject(ctx, benchDraft(fmt.Sprintf("bench-patch-%d", time.Now().UnixNano())))
				if err != nil {
					b.Fatal(err)
				}
				d := benchDraft(p.Slug)
				queries.Reset()
				n := 0
				for b.Loop() {
					d.Title = fmt.Sprintf("Gemeinsame E-Akte, Stufe %d", n)
					if _, err := db.UpdateProject(ctx, p.ID, d, 0); err != nil {
						b.Fatal(err)
					}
					n++
				}
				report(b, n)
			})
		})
	}
}

// benchDraft is a project as a portal would create it: three participants, tags,
// finance, a description.
func benchDraft(slug string) coop.ProjectDraft {
	budget := "250000.00"
	return coop.ProjectDraft{
		Slug: slug, Title: "Gemeinsame E-Akte", Cooperation: "k-1", Category: "software",
		Description: "Die beteiligten Kommunen führen die E-Akte gemeinsam ein, mit einem Rechenzentrum und einer Hotline.",
		Participants: []coop.ParticipantDraft{{Partner: benchPartner(0), Role: "lead"},
			{Partner: benchPartner(1), Role: "consumer"}, {Partner: benchPartner(2), Role: "provider"}},
		StartedOn: "2024-03", Tags: []string{"e-akte", "ozg"},
		Finance: &coop.FinanceDraft{BudgetPlanned: &budget},
	}
}

// benchPartners are slugs of generated partners.
var benchPartners []string

func benchPartner(i int) string { return benchPartners[i%len(benchPartners)] }
