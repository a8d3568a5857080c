package store_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata/benchtest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// BenchmarkProjectReadsCPU measures the CPU a list page (50 with participants, by
// status, at a random keyset position as scripts/bench/wrk/list.lua asks for it) and
// a get by slug cost on PostgreSQL, in this process (app-µs/op, GC included) and in
// the database's backends (pg-µs/op, read from /proc: the server must run on this
// machine). On a shared machine CPU per operation is far steadier than ns/op.
//
//	go test ./internal/store -run '^$' -bench BenchmarkProjectReadsCPU -benchtime 2000x
func BenchmarkProjectReadsCPU(b *testing.B) {
	size := benchdata.Sizes["small"]
	db := benchtest.MustDB(b, "postgres", size)
	ctx := coop.WithActor(context.Background(), coop.System)
	statuses := []string{"in_progress", "operational", "planned", "completed", "cancelled"}
	keys := []string{"abfallkalender", "backup", "bauantrag", "cloud", "e", "fachverfahren", "it",
		"kita", "open", "schul", "service", "standesamt", "webportal", "zeiterfassung"}
	rng := rand.New(rand.NewPCG(1, 2))
	cursor := func() string {
		k := fmt.Sprintf("%s %c%c", keys[rng.IntN(len(keys))], 'a'+rng.IntN(26), 'a'+rng.IntN(26))
		return base64.RawURLEncoding.EncodeToString([]byte(`{"s":"title","v":["` + k +
			`"],"id":"00000000-0000-0000-0000-000000000000"}`))
	}
	measure := func(b *testing.B, op func(i int)) {
		for i := range 50 { // warm the pool's connections and their statement caches
			op(i)
		}
		app, pg := appCPU(), pgCPU(b, db)
		n := 0
		for b.Loop() {
			op(n)
			n++
		}
		b.ReportMetric(float64(appCPU()-app)/float64(n), "app-µs/op")
		b.ReportMetric(float64(pgCPU(b, db)-pg)/float64(n), "pg-µs/op")
	}
	b.Run("list", func(b *testing.B) {
		measure(b, func(i int) {
			f := coop.ProjectFilter{Statuses: statuses[i%5 : i%5+1], Page: coop.Page{Limit: 50, Cursor: cursor()}}
			if _, err := db.FindProjects(ctx, f); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("get", func(b *testing.B) {
		measure(b, func(i int) {
			if _, err := db.FindProject(ctx, fmt.Sprintf("p-%d", 1+rng.IntN(size.Projects))); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// appCPU is this process's CPU time in µs.
func appCPU() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano()/1000 + ru.Stime.Nano()/1000
}

// pgCPU is the CPU time in µs of the database's backends of db (clock ticks of 10 ms:
// run enough operations).
func pgCPU(b *testing.B, db *store.DB) int64 {
	var pids []int
	if err := storetest.Gorm(db).Raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").Scan(&pids).Error; err != nil {
		b.Fatal(err)
	}
	var total int64
	for _, pid := range pids {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			b.Skipf("PostgreSQL's backends are not on this machine: %v", err)
		}
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		total += (utime + stime) * 10_000
	}
	return total
}
