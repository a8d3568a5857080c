package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store/sqldb"
)

// maxTokenName limits a token's name, which shows up as the actor in the change feed.
const maxTokenName = 100

// lastUsedEvery is how stale last_used_at may get: a token used on every request is
// written at most once per interval, not once per request.
const lastUsedEvery = time.Minute

// CreateToken validates d and stores a new API token: only its SHA-256 hash and its
// non-secret prefix are kept; the secret is returned once, here. The role check
// (admin only) is the HTTP layer's, as for every other write.
// Errors: EValidation (name, role, partners, expires_at).
func (s *TokenService) CreateToken(ctx context.Context, d coop.TokenDraft) (coop.Token, string, error) {
	var v coop.Violations
	name := strings.TrimSpace(d.Name)
	switch {
	case name == "":
		v.Add("name", "required", "Pflichtfeld: ein Name, der sagt, wer oder was den Token nutzt")
	case utf8.RuneCountInString(name) > maxTokenName:
		v.Add("name", "max_length", "Höchstens %d Zeichen", maxTokenName)
	case strings.IndexFunc(name, unicode.IsControl) >= 0 || coop.TextProblem(name, true) != "":
		v.Add("name", "pattern", "Der Name darf keine Steuerzeichen enthalten und muss gültiges UTF-8 sein")
	}
	roles, err := auth.ParseRoles(d.Roles)
	if err != nil {
		v.Add("roles", "enum", "Mindestens eine Rolle, jede eine von reader, controlling, editor, admin: %v", d.Roles)
	}
	if len(d.Partners) > 0 && err == nil && (!slices.Contains(roles, auth.RoleEditor) || slices.Contains(roles, auth.RoleAdmin)) {
		v.Add("partners", "not_allowed", "Nur ein Token mit der Rolle editor (und ohne admin) kann an Partner gebunden werden")
	}
	now := s.now()
	if d.ExpiresAt != nil && !d.ExpiresAt.After(now) {
		v.Add("expires_at", "past", "Das Ablaufdatum muss in der Zukunft liegen")
	}
	if err := v.Err(); err != nil {
		return coop.Token{}, "", err
	}

	secret, prefix, err := auth.GenerateToken()
	if err != nil {
		return coop.Token{}, "", err
	}
	row := tokenRow{
		ID: newID(), Name: name, Prefix: prefix, Hash: auth.HashToken(secret),
		Role: auth.Highest(roles).String(), Roles: jsonText(auth.RoleNames(roles)), CreatedAt: now,
	}
	if d.ExpiresAt != nil {
		t := d.ExpiresAt.UTC()
		row.ExpiresAt = &t
	}
	var refs []coop.Ref
	err = s.tx(ctx, func(tx *gorm.DB) error {
		paths := make([]string, len(d.Partners))
		for i := range d.Partners {
			paths[i] = fmt.Sprintf("partners[%d]", i)
		}
		for i, r := range d.Partners {
			if p := coop.TextProblem(r, true); p != "" {
				v.Add(paths[i], p, "%s", coop.TextMessage(p))
			}
		}
		if err := v.Err(); err != nil {
			return err // never sent to the database
		}
		ids := resolveIDs(tx, "partners", d.Partners, paths, &v, "Partner")
		for i, r := range d.Partners {
			if strings.TrimSpace(r) == "" {
				v.Add(paths[i], "required", "Partner fehlt (id oder slug)")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		ids = tokenUniqueIDs(ids)
		row.Partners = jsonText(ids)
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		var err error
		refs, err = tokenPartnerRefs(tx, ids)
		return err
	})
	if err != nil {
		return coop.Token{}, "", err
	}
	t := row.token()
	t.Partners = refs
	return t, secret, nil
}

// ListTokens returns every token, newest first, revoked and expired ones included
// (never a secret or a hash).
func (s *TokenService) ListTokens(ctx context.Context) ([]coop.Token, error) {
	var (
		rows []tokenRow
		refs []coop.Ref
	)
	// On the primary, as every read of tokens.
	err := s.session(coop.WithFreshReads(ctx), func(q *gorm.DB) (err error) {
		if err := q.Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
			return err
		}
		var all []string
		for _, r := range rows {
			all = append(all, fromJSONText[string](r.Partners)...)
		}
		refs, err = tokenPartnerRefs(q, tokenUniqueIDs(all))
		return err
	})
	if err != nil {
		return nil, err
	}
	byID := map[string]coop.Ref{}
	for _, r := range refs {
		byID[r.ID] = r
	}
	out := make([]coop.Token, len(rows))
	for i, r := range rows {
		out[i] = r.token()
		for _, id := range fromJSONText[string](r.Partners) {
			ref, ok := byID[id]
			if !ok {
				ref = coop.Ref{ID: id}
			}
			out[i].Partners = append(out[i].Partners, ref)
		}
	}
	return out, nil
}

// RevokeToken revokes the token with that id at once. Revoking a revoked token again
// changes nothing. Errors: ENotFound.
func (s *TokenService) RevokeToken(ctx context.Context, id string) error {
	notFound := coop.Errorf(coop.ENotFound, "Token %q nicht gefunden / not found", id)
	if !isUUID(id) {
		return notFound
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&tokenRow{}).Where("id = ? AND revoked_at IS NULL", id).
			Update("revoked_at", s.now())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			return nil
		}
		var n int64
		if err := tx.Model(&tokenRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return notFound
		}
		return nil
	})
}

// AuthenticateToken returns the actor an API token stands for. An unknown, revoked or
// expired token is EUnauthorized; the lookup is one indexed query on the hash, so a
// revocation takes effect with the next request. last_used_at is written at most once
// a minute per token. Errors: EUnauthorized, EUnavailable.
func (s *TokenService) AuthenticateToken(ctx context.Context, secret string) (coop.Actor, error) {
	unauthorized := coop.Errorf(coop.EUnauthorized, "Token unbekannt, widerrufen oder abgelaufen / token unknown, revoked or expired")
	if !auth.ValidTokenFormat(secret) {
		return coop.Actor{}, unauthorized
	}
	var (
		r     tokenRow
		found bool
		now   = s.now()
		fresh = coop.WithFreshReads(ctx) // on the primary: a revoked token is refused with the next request
	)
	// The store's own reader, not GORM: every authenticated request makes this read.
	err := s.read(fresh, func(x sqldb.Executor) (err error) {
		q := sqldb.SelectFrom(tokenAuthCols, "api_tokens").Where("hash = ?", auth.HashToken(secret))
		q.Limit = 1
		found, err = sqldb.QueryRow(ctx, x, q.Stmt(), &r.ID, &r.Name, &r.Role, &r.Roles, &r.Partners,
			&r.ExpiresAt, &r.LastUsedAt, &r.RevokedAt)
		return err
	})
	if err != nil {
		return coop.Actor{}, err
	}
	if !found {
		return coop.Actor{}, unauthorized
	}
	if r.LastUsedAt == nil || now.Sub(*r.LastUsedAt) >= lastUsedEvery {
		// Conditional, so that concurrent requests with the same token write once.
		// A failure here must not turn a valid token away: it is bookkeeping only.
		_ = s.session(fresh, func(q *gorm.DB) error {
			return q.Model(&tokenRow{}).
				Where("id = ? AND (last_used_at IS NULL OR last_used_at <= ?)", r.ID, now.Add(-lastUsedEvery)).
				Update("last_used_at", now).Error
		})
	}
	if r.RevokedAt != nil || (r.ExpiresAt != nil && !r.ExpiresAt.After(now)) {
		return coop.Actor{}, unauthorized
	}
	return coop.Actor{
		Type:     coop.ActorToken,
		ID:       r.ID,
		Name:     r.Name,
		Roles:    r.roles(),
		Partners: fromJSONText[string](r.Partners),
	}, nil
}

// tokenAuthCols are what a token's authentication reads, in the order of its scan.
const tokenAuthCols = "id, name, role, roles, partners, expires_at, last_used_at, revoked_at"

// token converts a row to its list form (partners are filled in by the caller).
func (r tokenRow) token() coop.Token {
	return coop.Token{
		ID: r.ID, Name: r.Name, Prefix: r.Prefix, Roles: r.roles(),
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: utcPtr(r.ExpiresAt),
		LastUsedAt: utcPtr(r.LastUsedAt), RevokedAt: utcPtr(r.RevokedAt),
	}
}

// roles is the token's set of roles. A token written by a binary from before
// migration 00006 (during a rolling update) has none in roles, only its one role.
func (r tokenRow) roles() []string {
	if roles := fromJSONText[string](r.Roles); len(roles) > 0 {
		return roles
	}
	return []string{r.Role}
}

// tokenPartnerRefs returns brief refs of the partners with these ids, deleted ones
// included (a token keeps naming the partner it was bound to), in the order given.
func tokenPartnerRefs(q *gorm.DB, ids []string) ([]coop.Ref, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var hits []coop.Ref
	if err := q.Table("partners").Select("id, slug, name").Where("id IN ?", ids).Scan(&hits).Error; err != nil {
		return nil, err
	}
	out := make([]coop.Ref, 0, len(ids))
	for _, id := range ids {
		i := slices.IndexFunc(hits, func(r coop.Ref) bool { return r.ID == id })
		if i >= 0 {
			out = append(out, hits[i])
		} else {
			out = append(out, coop.Ref{ID: id})
		}
	}
	return out, nil
}

// tokenUniqueIDs drops empty and repeated ids, keeping the first occurrence's order.
func tokenUniqueIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
