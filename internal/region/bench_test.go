package region_test

import (
	"runtime"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/region"
)

// BenchmarkLoadEmbedded parses the embedded register (gunzip, CSV, sums, the index of
// Find) and reports the heap it keeps (heap-MB: live heap after a collection, with the
// register held, less the heap before).
func BenchmarkLoadEmbedded(b *testing.B) {
	var keep *region.Register
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		reg, err := region.Load(region.EmbeddedData(), region.EmbeddedSource)
		if err != nil {
			b.Fatal(err)
		}
		keep = reg
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
	runtime.KeepAlive(keep)
}

// BenchmarkFind: a name search with German folding (word prefixes of the 16,000
// regions' names, through the index), a key prefix, and a filtered list page.
func BenchmarkFind(b *testing.B) {
	reg := mustEmbedded(b)
	for name, q := range map[string]region.Query{
		"name":   {Q: "Muenster"},
		"prefix": {Q: "05515"},
		"list":   {Levels: []string{region.District}, States: []string{"DE-NW"}},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := reg.Find(q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
