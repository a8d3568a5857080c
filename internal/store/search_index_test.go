package store_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

// Both databases find the same hits in the same order with the same scores.
func TestSearchSameOnBothDatabases(t *testing.T) {
	queries := []string{"Archivierung", "Münster", "citek", "LWL", "Netz", "Stadt Münster", "it", "Kooperation IT",
		"Rechenzentrum", "Behoerdennetz", "Landschaftsverbandes", "Hotline", "a & !b | (c:*)", "Westfalen-Lippe"}
	got := map[string][]string{}
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		var lines []string
		for _, q := range queries {
			res := mustSearch(t, db, ctx, coop.SearchQuery{Q: q, Limit: 100})
			for _, h := range res.Items {
				lines = append(lines, q+" → "+h.Type+":"+h.Slug+" "+strconv.FormatFloat(h.Score, 'f', -1, 64)+" "+h.Snippet)
			}
		}
		got[string(db.Dialect())] = lines
	})
	pg, lite := got["postgres"], got["sqlite"]
	if pg == nil || lite == nil {
		t.Skip("needs both databases")
	}
	if !slices.Equal(pg, lite) {
		for i := range max(len(pg), len(lite)) {
			var a, b string
			if i < len(pg) {
				a = pg[i]
			}
			if i < len(lite) {
				b = lite[i]
			}
			if a != b {
				t.Errorf("hit %d differs:\n  postgres: %s\n  sqlite:   %s", i, a, b)
			}
		}
	}
}

// Documents follow every write in its transaction; deleted resources are not found.
func TestSearchFollowsWrites(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := coop.WithActor(context.Background(), coop.System)
		p, err := db.CreatePartner(ctx, coop.PartnerDraft{Slug: "kdo", Name: "Zweckverband Kommunale Datenverarbeitung Oberland",
			Type: "special_purpose_association", Description: "Rechenzentrum für Kommunen"})
		if err != nil {
			t.Fatal(err)
		}
		find := func(q string) []string {
			t.Helper()
			return hitKeys(mustSearch(t, db, ctx, coop.SearchQuery{Q: q}).Items)
		}
		listed := func(q string) int64 {
			t.Helper()
			l, err := db.FindPartners(ctx, coop.PartnerFilter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			return l.Total
		}
		if got := find("Datenverarbeitungen"); !slices.Equal(got, []string{"partner:kdo"}) || listed("Rechenzentren") != 1 {
			t.Fatalf("after create: %v", got)
		}
		d := coop.PartnerDraft{Slug: "kdvz", Name: "Kommunales Rechenzentrum Niederrhein", Type: "municipal_it_provider"}
		if _, err := db.UpdatePartner(ctx, p.ID, d, 0); err != nil {
			t.Fatal(err)
		}
		if got := find("Datenverarbeitung"); len(got) != 0 {
			t.Errorf("old name still found: %v", got)
		}
		if got := find("kdvz"); !slices.Equal(got, []string{"partner:kdvz"}) {
			t.Errorf("new slug: %v", got)
		}
		if res := mustSearch(t, db, ctx, coop.SearchQuery{Q: "Kommunales Rechenzentrum Niederrhein"}); len(res.Items) != 1 || res.Items[0].Score != 1 {
			t.Errorf("exact new name: %+v", res.Items)
		}
		if err := db.DeletePartner(ctx, "kdvz", 0); err != nil {
			t.Fatal(err)
		}
		if got := find("Niederrhein"); len(got) != 0 || listed("Niederrhein") != 0 {
			t.Errorf("deleted partner found: %v", got)
		}
		if _, err := db.RestorePartner(ctx, "kdvz", 0); err != nil {
			t.Fatal(err)
		}
		if got := find("Niederrhein"); !slices.Equal(got, []string{"partner:kdvz"}) {
			t.Errorf("restored partner: %v", got)
		}
	})
}

// Migrate indexes resources without a current document, e.g. rows from before search.
func TestSearchReindexOnMigrate(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		before := mustSearch(t, db, ctx, coop.SearchQuery{Q: "Münster", Limit: 100})
		if err := storetest.Gorm(db).Exec("DELETE FROM search_documents WHERE resource_type IN ('project', 'partner')").Error; err != nil {
			t.Fatal(err)
		}
		if err := storetest.Gorm(db).Exec("UPDATE search_documents SET doc_version = 0, name_fold = 'x'").Error; err != nil {
			t.Fatal(err)
		}
		if got := mustSearch(t, db, ctx, coop.SearchQuery{Q: "Münster", Types: []string{"project", "partner"}}); got.Total != 0 {
			t.Fatalf("documents not gone: %v", hitKeys(got.Items))
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		after := mustSearch(t, db, ctx, coop.SearchQuery{Q: "Münster", Limit: 100})
		if !slices.Equal(hitKeys(before.Items), hitKeys(after.Items)) || before.Total != after.Total {
			t.Errorf("after reindex %v, want %v", hitKeys(after.Items), hitKeys(before.Items))
		}
		var n, old int64
		storetest.Gorm(db).Raw("SELECT count(*) FROM search_documents").Scan(&n)
		storetest.Gorm(db).Raw("SELECT count(*) FROM search_documents WHERE doc_version = 0 OR name_fold = 'x'").Scan(&old)
		if n != 6+1+1+6 || old != 0 {
			t.Errorf("%d documents (%d outdated), want 14 current ones", n, old)
		}
	})
}

// Status, category and deletion reach the documents by trigger, whatever code path
// changes them: facets and hits follow transitions, deletes and restores.
func TestSearchFollowsStatus(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		facets := func() map[string]int64 {
			return mustSearch(t, db, ctx, coop.SearchQuery{Q: "Rechenzentrum", Types: []string{"project"}}).Facets.Status
		}
		if got := facets(); got["planned"] != 1 {
			t.Fatalf("before: %v", got)
		}
		if _, err := db.TransitionProject(ctx, "rechenzentren", coop.Transition{To: "in_progress", EffectiveOn: "2018-03"}, 0); err != nil {
			t.Fatal(err)
		}
		if got := facets(); got["in_progress"] != 1 || got["planned"] != 0 {
			t.Errorf("after transition: %v", got)
		}
		if err := db.DeleteProject(ctx, "rechenzentren", 0); err != nil {
			t.Fatal(err)
		}
		if got := mustSearch(t, db, ctx, coop.SearchQuery{Q: "Rechenzentrum", Types: []string{"project"}}); got.Total != 0 {
			t.Errorf("deleted project found: %v", hitKeys(got.Items))
		}
		if _, err := db.RestoreProject(ctx, "rechenzentren", 0); err != nil {
			t.Fatal(err)
		}
		if got := facets(); got["in_progress"] != 1 {
			t.Errorf("after restore: %v", got)
		}
	})
}

// A write makes its search document from the resource as written (store/search.go:
// partnerSearch, …), not from its row read back: the documents, the bodies and the
// vocabulary of the seed's writes and of an update of each kind are the ones a
// reindex builds from the rows.
func TestSearchDocumentOfAWrite(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		p, err := db.CreatePartner(ctx, coop.PartnerDraft{Slug: "kdo", Name: "Zweckverband Kommunale Datenverarbeitung Oberland",
			Type: "special_purpose_association", Description: "Rechenzentrum für Kommunen"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdatePartner(ctx, p.ID, coop.PartnerDraft{Slug: "kdvz", Name: "Kommunales Rechenzentrum Niederrhein",
			ShortName: "KRZN", Type: "municipal_it_provider", Address: coop.Address{City: "Kamp-Lintfort"},
			Description: "Fachverfahren und Langzeitarchivierung"}, 0); err != nil {
			t.Fatal(err)
		}
		d := coop.ProjectDraft{Slug: "e-akte-oberland", Title: " E-Akte im Oberland ", Cooperation: "it-kooperation-muenster-lwl",
			Category: "software", Description: "Gemeinsame Einführung", Tags: []string{"e-akte"},
			Participants: []coop.ParticipantDraft{{Partner: "citeq", Role: "provider"}, {Partner: "kdvz", Role: "consumer"}}}
		pr, err := db.CreateProject(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		d.Title, d.Tags, d.Description = "E-Akte im Oberland, zweite Stufe", []string{"e-akte", "Archivierung"}, "Langzeitarchiv"
		if _, err := db.UpdateProject(ctx, pr.ID, d, 0); err != nil {
			t.Fatal(err)
		}
		q := "SELECT d.resource_type, d.resource_id, d.live, coalesce(d.status, ''), coalesce(d.category, ''), d.body_len, d.name_fold, d.slug_fold"
		if db.Dialect() == "postgres" {
			q += ", d.title_tsv::text, d.names_tsv::text, b.facet, b.body_len, b.doc FROM search_documents d JOIN search_bodies b ON b.doc_id = d.id"
		} else {
			q += " FROM search_documents d"
		}
		q += " ORDER BY d.resource_type, d.resource_id"
		snapshot := func() []string {
			t.Helper()
			rows, err := storetest.Gorm(db).Raw(q).Rows()
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			var out []string
			for rows.Next() {
				v := make([]any, len(cols))
				for i := range v {
					v[i] = new(any)
				}
				if err := rows.Scan(v...); err != nil {
					t.Fatal(err)
				}
				line := ""
				for _, x := range v {
					line += fmt.Sprintf("%v|", *(x.(*any)))
				}
				out = append(out, line)
			}
			var words, trigrams int64
			storetest.Gorm(db).Raw("SELECT count(*) FROM search_words").Scan(&words)
			storetest.Gorm(db).Raw("SELECT count(*) FROM search_word_trigrams").Scan(&trigrams)
			return append(out, fmt.Sprintf("words %d, trigrams %d", words, trigrams))
		}
		written := snapshot()
		if err := storetest.Gorm(db).Exec("UPDATE search_documents SET doc_version = 0").Error; err != nil {
			t.Fatal(err)
		}
		if n, err := db.ReindexSearch(ctx); err != nil || n != len(written)-1 {
			t.Fatalf("reindexed %d (%v), want %d", n, err, len(written)-1)
		}
		rebuilt := snapshot()
		if !slices.Equal(written, rebuilt) {
			for i := range min(len(written), len(rebuilt)) {
				if written[i] != rebuilt[i] {
					t.Errorf("written:\n  %s\nrebuilt from the row:\n  %s", written[i], rebuilt[i])
				}
			}
			if len(written) != len(rebuilt) {
				t.Errorf("%d documents written, %d rebuilt", len(written), len(rebuilt))
			}
		}
	})
}

// A number in a document is found by search, but is no word of the typo vocabulary
// (search_words): a search for another year is not "corrected" to it, and a create
// whose title and slug carry numbers adds no words for them.
func TestSearchNumbersFoundNotCorrected(t *testing.T) {
	forEachSeeded(t, func(t *testing.T, db *store.DB, ctx context.Context) {
		d := coop.ProjectDraft{Slug: "haushalt-20231187", Title: "Haushaltsplanung 20231187", Cooperation: "it-kooperation-muenster-lwl",
			Category: "software", Description: "Doppischer Haushalt ab 20231187",
			Participants: []coop.ParticipantDraft{{Partner: "citeq", Role: "provider"}}}
		if _, err := db.CreateProject(ctx, d); err != nil {
			t.Fatal(err)
		}
		if keys := hitKeys(mustSearch(t, db, ctx, coop.SearchQuery{Q: "20231187"}).Items); !slices.Contains(keys, "project:haushalt-20231187") {
			t.Errorf("search 20231187: %v, want the project", keys)
		}
		if keys := hitKeys(mustSearch(t, db, ctx, coop.SearchQuery{Q: "20241187"}).Items); slices.Contains(keys, "project:haushalt-20231187") {
			t.Errorf("search 20241187 found the project of 20231187: %v", keys)
		}
		var numeric []string
		if err := storetest.Gorm(db).Raw("SELECT word FROM search_words WHERE word LIKE '%2023%'").Scan(&numeric).Error; err != nil {
			t.Fatal(err)
		}
		if len(numeric) > 0 {
			t.Errorf("numbers in the vocabulary: %v", numeric)
		}
		var haushalt int
		storetest.Gorm(db).Raw("SELECT count(*) FROM search_words WHERE word = 'haushaltsplanung'").Scan(&haushalt)
		if haushalt != 1 {
			t.Errorf("the title's word is not in the vocabulary (%d)", haushalt)
		}
	})
}

// A word a write brings to the vocabulary (the words typing errors are corrected to)
// is there for good once the write has committed — and only then: on PostgreSQL the
// engine remembers the words of committed writes and sends only the others, so a
// refused create must not leave its new word remembered but missing. A typo of a word
// first written by a create refused after its search document (its change record
// fails, by a trigger), then by a create that commits, finds the second.
func TestSearchVocabularyAfterARefusedWrite(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		refuseKaputtChanges(t, db)
		w := mustWorld(t, db)
		w.mustProject(t, "erstes", func(d *coop.ProjectDraft) { d.Title = "Glockenspielpflege im Rathaus" })
		refused := draft("refused")
		refused.Title = "Zwiebelturmwartung Kaputt"
		if _, err := db.CreateProject(w.ctx, refused); err == nil {
			t.Fatal("a create whose change record failed was accepted")
		}
		w.mustProject(t, "zweites", func(d *coop.ProjectDraft) { d.Title = "Zwiebelturmwartung am Markt" })
		w.mustProject(t, "drittes", func(d *coop.ProjectDraft) { d.Title = "Glockenspielpflege am Markt" })
		vocabulary := func(word string) int {
			t.Helper()
			var n int
			if err := storetest.Gorm(db).Raw("SELECT count(*) FROM search_words WHERE word = ?", word).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, word := range []string{"zwiebelturmwartung", "glockenspielpflege"} {
			if n := vocabulary(word); n != 1 {
				t.Errorf("%s is %d times in the vocabulary, want once", word, n)
			}
		}
		for q, want := range map[string][]string{
			"Zwiebelturmwartunk": {"project:zweites"},
			"Glockenspielpflage": {"project:drittes", "project:erstes"},
		} {
			got := hitKeys(mustSearch(t, db, w.ctx, coop.SearchQuery{Q: q}).Items)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%q finds %v, want %v", q, got, want)
			}
		}
	})
}
