package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/webhook"
)

// BenchmarkDelivery measures how many changes a second one subscription delivers, in
// order and signed, to a fast receiver on loopback (one op: 1,000 changes replayed
// from the log). The anchor is the same replay read through the feed's reader alone
// (BenchmarkDelivery/…/feed-read): the difference is signing, HTTP and recording each
// delivery. A write costs nothing more: delivery reads the change-log row every write
// already makes.
func BenchmarkDelivery(b *testing.B) {
	for _, dialect := range storetest.Dialects {
		db := storetest.MustOpen(b, dialect)
		ctx := coop.WithActor(context.Background(), coop.System)
		const n = 1000
		for i := range n {
			if _, err := db.CreatePartner(ctx, coop.PartnerDraft{Slug: fmt.Sprintf("b-%d", i), Name: fmt.Sprintf("B %d", i), Type: "company"}); err != nil {
				b.Fatal(err)
			}
		}
		var got atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Add(1)
			w.WriteHeader(http.StatusNoContent)
		}))
		b.Cleanup(srv.Close)
		b.Run(dialect+"/deliver", func(b *testing.B) {
			url := srv.URL
			w, _, err := db.CreateWebhook(ctx, coop.WebhookDraft{URL: &url}, coop.System, nil)
			if err != nil {
				b.Fatal(err)
			}
			testDispatcher(b, db, webhook.Options{})
			b.ResetTimer()
			for range b.N {
				start := got.Load()
				if _, err := db.ReplayWebhook(ctx, w.ID, 1); err != nil {
					b.Fatal(err)
				}
				for got.Load()-start < n {
					time.Sleep(time.Millisecond)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "deliveries/s")
			_ = db.DeleteWebhook(ctx, w.ID)
		})
		b.Run(dialect+"/feed-read", func(b *testing.B) {
			for range b.N {
				var after int64
				for {
					list, err := db.FindChanges(ctx, coop.ChangeFilter{After: after, Limit: 100})
					if err != nil {
						b.Fatal(err)
					}
					if len(list) == 0 {
						break
					}
					after = list[len(list)-1].ID
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "changes/s")
		})
	}
}
