package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/storetest"
)

func systemCtx() context.Context { return coop.WithActor(context.Background(), coop.System) }

// mustTokenPartner creates a partner for token tests.
func mustTokenPartner(t *testing.T, db *store.DB, slug string) coop.Partner {
	t.Helper()
	p, err := db.CreatePartner(systemCtx(), coop.PartnerDraft{Slug: slug, Name: "Partner " + slug, Type: "municipality"})
	if err != nil {
		t.Fatalf("create partner %s: %v", slug, err)
	}
	return p
}

func mustCreateToken(t *testing.T, db *store.DB, d coop.TokenDraft) (coop.Token, string) {
	t.Helper()
	tok, secret, err := db.CreateToken(systemCtx(), d)
	if err != nil {
		t.Fatalf("CreateToken(%+v): %v", d, err)
	}
	return tok, secret
}

func wantCode(t *testing.T, err error, code coop.Code) {
	t.Helper()
	if coop.ErrorCode(err) != code {
		t.Fatalf("error %v: code %q, want %q", err, coop.ErrorCode(err), code)
	}
}

func TestTokenCreateAuthenticate(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tok, secret := mustCreateToken(t, db, coop.TokenDraft{Name: "  Portal Münsterland ", Roles: []string{"Reader"}})
		if !auth.ValidTokenFormat(secret) || !strings.HasPrefix(secret, tok.Prefix) {
			t.Fatalf("secret %q / prefix %q", secret, tok.Prefix)
		}
		if tok.Name != "Portal Münsterland" || !slices.Equal(tok.Roles, []string{"reader"}) || tok.ID == "" || tok.CreatedAt.IsZero() ||
			tok.ExpiresAt != nil || tok.LastUsedAt != nil || tok.RevokedAt != nil || len(tok.Partners) != 0 {
			t.Errorf("created token %+v", tok)
		}
		var hash string
		if err := storetest.Gorm(db).Table("api_tokens").Select("hash").Where("id = ?", tok.ID).Scan(&hash).Error; err != nil {
			t.Fatal(err)
		}
		if hash != auth.HashToken(secret) {
			t.Errorf("stored %q, want the token's hash", hash)
		}
		var n int64
		storetest.Gorm(db).Table("api_tokens").Where("hash = ? OR prefix = ? OR name = ?", secret, secret, secret).Count(&n)
		if n != 0 {
			t.Error("the secret itself is stored")
		}

		a, err := db.AuthenticateToken(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		want := coop.Actor{Type: "token", ID: tok.ID, Name: "Portal Münsterland", Roles: []string{"reader"}}
		if a.Type != want.Type || a.ID != want.ID || a.Name != want.Name || !slices.Equal(a.Roles, want.Roles) || len(a.Partners) != 0 {
			t.Errorf("actor %+v, want %+v", a, want)
		}

		for _, bad := range []string{"", "Bearer " + secret, secret + "a", strings.ToUpper(secret), "ikz_" + strings.Repeat("a", 52)} {
			_, err := db.AuthenticateToken(ctx, bad)
			wantCode(t, err, coop.EUnauthorized)
		}
	})
}

func TestTokenLastUsed(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tok, secret := mustCreateToken(t, db, coop.TokenDraft{Name: "sync", Roles: []string{"reader"}})
		lastUsed := func() *time.Time {
			list, err := db.ListTokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range list {
				if x.ID == tok.ID {
					return x.LastUsedAt
				}
			}
			t.Fatal("token not listed")
			return nil
		}
		if lastUsed() != nil {
			t.Fatal("new token has last_used_at")
		}
		if _, err := db.AuthenticateToken(ctx, secret); err != nil {
			t.Fatal(err)
		}
		first := lastUsed()
		if first == nil || time.Since(*first) > time.Minute {
			t.Fatalf("last_used_at after use: %v", first)
		}
		// Within the minute, further requests do not write.
		for range 3 {
			if _, err := db.AuthenticateToken(ctx, secret); err != nil {
				t.Fatal(err)
			}
		}
		if second := lastUsed(); !second.Equal(*first) {
			t.Errorf("last_used_at rewritten within a minute: %v → %v", first, second)
		}
		// An hour later it is written again.
		old := time.Now().UTC().Add(-time.Hour)
		if err := storetest.Gorm(db).Table("api_tokens").Where("id = ?", tok.ID).Update("last_used_at", old).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := db.AuthenticateToken(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if third := lastUsed(); third == nil || time.Since(*third) > time.Minute {
			t.Errorf("last_used_at not refreshed after an hour: %v", third)
		}
	})
}

func TestTokenEditorPartners(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := mustTokenPartner(t, db, "kreis-a")
		b := mustTokenPartner(t, db, "kreis-b")
		tok, secret := mustCreateToken(t, db, coop.TokenDraft{Name: "Redaktion", Roles: []string{"editor"},
			Partners: []string{"kreis-b", a.ID, "kreis-b"}})
		wantRefs := []coop.Ref{{ID: b.ID, Slug: "kreis-b", Name: "Partner kreis-b"}, {ID: a.ID, Slug: "kreis-a", Name: "Partner kreis-a"}}
		if !slices.Equal(tok.Partners, wantRefs) {
			t.Errorf("partners %+v, want %+v", tok.Partners, wantRefs)
		}
		act, err := db.AuthenticateToken(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(act.Partners, []string{b.ID, a.ID}) || !slices.Equal(act.Roles, []string{"editor"}) {
			t.Errorf("actor %+v", act)
		}
		list, err := db.ListTokens(ctx)
		if err != nil || len(list) != 1 {
			t.Fatalf("list %v %+v", err, list)
		}
		if !slices.Equal(list[0].Partners, wantRefs) {
			t.Errorf("listed partners %+v", list[0].Partners)
		}
		// An unbound editor is fine too.
		mustCreateToken(t, db, coop.TokenDraft{Name: "Redaktion gesamt", Roles: []string{"editor"}})
	})
}

func TestTokenValidation(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		mustTokenPartner(t, db, "kreis-a")
		past := time.Now().Add(-time.Hour)
		tests := []struct {
			name  string
			d     coop.TokenDraft
			field string
			code  string
		}{
			{"no name", coop.TokenDraft{Name: "  ", Roles: []string{"reader"}}, "name", "required"},
			{"long name", coop.TokenDraft{Name: strings.Repeat("ä", 101), Roles: []string{"reader"}}, "name", "max_length"},
			{"control char", coop.TokenDraft{Name: "a\nb", Roles: []string{"reader"}}, "name", "pattern"},
			{"invalid UTF-8", coop.TokenDraft{Name: "a\xffb", Roles: []string{"reader"}}, "name", "pattern"},
			{"NUL", coop.TokenDraft{Name: "a\x00b", Roles: []string{"reader"}}, "name", "pattern"},
			{"bidi override", coop.TokenDraft{Name: "a\u202eb", Roles: []string{"reader"}}, "name", "pattern"},
			{"no role", coop.TokenDraft{Name: "x"}, "roles", "enum"},
			{"bad role", coop.TokenDraft{Name: "x", Roles: []string{"superuser"}}, "roles", "enum"},
			{"a bad role among good ones", coop.TokenDraft{Name: "x", Roles: []string{"editor", "superuser"}}, "roles", "enum"},
			{"partners for editor and admin", coop.TokenDraft{Name: "x", Roles: []string{"editor", "admin"}, Partners: []string{"kreis-a"}}, "partners", "not_allowed"},
			{"partners for reader", coop.TokenDraft{Name: "x", Roles: []string{"reader"}, Partners: []string{"kreis-a"}}, "partners", "not_allowed"},
			{"partners for admin", coop.TokenDraft{Name: "x", Roles: []string{"admin"}, Partners: []string{"kreis-a"}}, "partners", "not_allowed"},
			{"unknown partner", coop.TokenDraft{Name: "x", Roles: []string{"editor"}, Partners: []string{"kreis-a", "kreis-z"}}, "partners[1]", "reference"},
			{"unknown partner id", coop.TokenDraft{Name: "x", Roles: []string{"editor"}, Partners: []string{"0b7c1a8e-0000-4000-8000-000000000000"}}, "partners[0]", "reference"},
			{"empty partner", coop.TokenDraft{Name: "x", Roles: []string{"editor"}, Partners: []string{""}}, "partners[0]", "required"},
			{"expired", coop.TokenDraft{Name: "x", Roles: []string{"reader"}, ExpiresAt: &past}, "expires_at", "past"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, secret, err := db.CreateToken(systemCtx(), tt.d)
				wantCode(t, err, coop.EValidation)
				if secret != "" {
					t.Error("a secret was returned with an error")
				}
				var e *coop.Error
				errors.As(err, &e)
				if !slices.ContainsFunc(e.Fields, func(f coop.FieldError) bool { return f.Field == tt.field && f.Code == tt.code }) {
					t.Errorf("fields %+v, want %s/%s", e.Fields, tt.field, tt.code)
				}
			})
		}
		list, err := db.ListTokens(context.Background())
		if err != nil || len(list) != 0 {
			t.Errorf("refused creates left tokens: %v %+v", err, list)
		}
	})
}

func TestTokenRevokeExpire(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tok, secret := mustCreateToken(t, db, coop.TokenDraft{Name: "alt", Roles: []string{"admin"}})
		other, otherSecret := mustCreateToken(t, db, coop.TokenDraft{Name: "neu", Roles: []string{"controlling"}})
		if _, err := db.AuthenticateToken(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.AuthenticateToken(ctx, secret)
		wantCode(t, err, coop.EUnauthorized)
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Errorf("second revoke: %v", err)
		}
		wantCode(t, db.RevokeToken(ctx, "0b7c1a8e-0000-4000-8000-000000000000"), coop.ENotFound)
		wantCode(t, db.RevokeToken(ctx, "not-an-id"), coop.ENotFound)
		if _, err := db.AuthenticateToken(ctx, otherSecret); err != nil {
			t.Errorf("revoking one token affected another: %v", err)
		}

		list, err := db.ListTokens(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %v %+v", err, list)
		}
		if list[0].ID != other.ID || list[1].ID != tok.ID {
			t.Errorf("not newest first: %s, %s", list[0].Name, list[1].Name)
		}
		if list[1].RevokedAt == nil || list[0].RevokedAt != nil {
			t.Errorf("revoked_at: %v / %v", list[1].RevokedAt, list[0].RevokedAt)
		}

		// Expiry: valid until expires_at, refused after it.
		soon := time.Now().Add(time.Hour)
		exp, expSecret := mustCreateToken(t, db, coop.TokenDraft{Name: "befristet", Roles: []string{"reader"}, ExpiresAt: &soon})
		if exp.ExpiresAt == nil || !exp.ExpiresAt.Equal(soon.UTC()) && exp.ExpiresAt.Sub(soon).Abs() > time.Millisecond {
			t.Errorf("expires_at %v, want %v", exp.ExpiresAt, soon)
		}
		if _, err := db.AuthenticateToken(ctx, expSecret); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Gorm(db).Table("api_tokens").Where("id = ?", exp.ID).Update("expires_at", time.Now().UTC().Add(-time.Second)).Error; err != nil {
			t.Fatal(err)
		}
		_, err = db.AuthenticateToken(ctx, expSecret)
		wantCode(t, err, coop.EUnauthorized)
	})
}

// TestTokenRolesMigration: migration 00006 gives every existing token the set of its
// one role; a token written by a binary from before it (roles empty, during a
// rolling update) still has its role.
func TestTokenRolesMigration(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, editor := mustCreateToken(t, db, coop.TokenDraft{Name: "alt", Roles: []string{"editor"}})
		_, both := mustCreateToken(t, db, coop.TokenDraft{Name: "beides", Roles: []string{"controlling", "editor"}})
		// down to 00005 (the highest role stays in role) and up again
		if err := db.RedoMigrationsAfter(ctx, 5); err != nil {
			t.Fatal(err)
		}
		for secret, want := range map[string][]string{editor: {"editor"}, both: {"editor"}} {
			a, err := db.AuthenticateToken(ctx, secret)
			if err != nil || !slices.Equal(a.Roles, want) {
				t.Errorf("after the migration: %+v, %v; want roles %v", a, err, want)
			}
		}
		if _, err := storetest.SQL(db).ExecContext(ctx, "UPDATE api_tokens SET roles = '[]' WHERE name = 'alt'"); err != nil {
			t.Fatal(err)
		}
		if a, err := db.AuthenticateToken(ctx, editor); err != nil || !slices.Equal(a.Roles, []string{"editor"}) {
			t.Errorf("a token without roles: %+v, %v", a, err)
		}
	})
}
