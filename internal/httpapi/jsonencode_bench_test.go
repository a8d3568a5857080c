package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"

	segjson "github.com/segmentio/encoding/json"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/benchdata/benchtest"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// jsonEncoder encodes v into w as the answers are encoded: no HTML escaping, one value
// ending in a newline.
type jsonEncoder struct {
	name   string
	encode func(w io.Writer, v any) error
}

// The general encoders the hand-written writer (jsonwrite.go) is measured against, each
// fed the Project DTOs: encoding/json, what the other answers use, and a fast one that
// gives encoding/json's bytes, segmentio/encoding (bytedance/sonic and goccy/go-json
// were measured too and do not: BENCHMARKS.md).
var jsonEncoders = []jsonEncoder{
	{"encoding-json", func(w io.Writer, v any) error { // as encodeBody does
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}},
	{"segmentio", func(w io.Writer, v any) error {
		enc := segjson.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}},
}

// sink keeps the DTOs the dto-only benchmark builds alive.
var sink any

// BenchmarkProjectJSON measures the answers of the project list (a page of 50, with
// and without finance) and of one project, each written by the hand-written writer
// (writer), by encoding/json from the DTOs (encoding-json, the answers' way before the
// writer) and by a fast general encoder from the same DTOs, which are built in the loop
// as an answer builds them (dto-only: the building alone). Every encoder's bytes are
// first held to encoding/json's: one that differed could not replace it (ETags, the
// contract).
// BENCHMARKS.md ("Encoding the project answers") has the figures and the decision:
//
//	go test ./internal/httpapi -run '^$' -bench BenchmarkProjectJSON -benchmem -count 6
func BenchmarkProjectJSON(b *testing.B) {
	db := benchtest.MustDB(b, "sqlite", benchdata.Size{Partners: 200, Cooperations: 500, Projects: 500})
	ctx := coop.WithActor(context.Background(), coop.System)
	res, err := db.FindProjects(ctx, coop.ProjectFilter{Page: coop.Page{Limit: 50}, Statuses: []string{"in_progress", "operational"}})
	if err != nil || len(res.Items) != 50 {
		b.Fatalf("%d projects, %v", len(res.Items), err)
	}
	one := res.Items[0]
	for _, finance := range []bool{false, true} {
		answers := []struct {
			name   string
			writer jsonAppender
			dto    func() any
		}{
			{"list", listJSON{items: projectsJSON{res.Items, finance}, next: &res.NextCursor, total: res.Total},
				func() any {
					return listBody{Items: projectsOut(res.Items, finance), NextCursor: &res.NextCursor, Total: res.Total}
				}},
			{"get", projectJSON{&one, finance}, func() any { return projectOut(one, finance) }},
		}
		for _, a := range answers {
			want, err := stdJSON(a.dto())
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/finance=%v/writer", a.name, finance), func(b *testing.B) {
				for b.Loop() {
					buf, err := encodeBody(a.writer)
					if err != nil {
						b.Fatal(err)
					}
					b.SetBytes(int64(len(buf.b)))
					releaseBuffer(buf)
				}
			})
			// what every general encoder's figure includes: building the DTOs (dates and
			// amounts formatted, refs with their paths) without encoding them
			b.Run(fmt.Sprintf("%s/finance=%v/dto-only", a.name, finance), func(b *testing.B) {
				for b.Loop() {
					sink = a.dto()
				}
			})
			for _, e := range jsonEncoders {
				encode := e.encode
				var got bytes.Buffer
				if err := encode(&got, a.dto()); err != nil || !bytes.Equal(got.Bytes(), want) {
					b.Fatalf("%s %s/finance=%v: not the bytes of encoding/json (error %v)", e.name, a.name, finance, err)
				}
				b.Run(fmt.Sprintf("%s/finance=%v/%s", a.name, finance, e.name), func(b *testing.B) {
					for b.Loop() {
						buf := bodyBuffers.Get().(*bodyBuf)
						buf.b = buf.b[:0]
						if err := encode(buf, a.dto()); err != nil {
							b.Fatal(err)
						}
						b.SetBytes(int64(len(buf.b)))
						releaseBuffer(buf)
					}
				})
			}
		}
	}
}
