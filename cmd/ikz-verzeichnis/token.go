package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/auth"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/config"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/store"
)

const tokenUsage = `Usage:
  ikz-verzeichnis token create --name N --role R [--role R]... [--partner SLUG]... [--expires 90d]
  ikz-verzeichnis token list
  ikz-verzeichnis token revoke ID
`

// tokenCmd administers API tokens directly on the database (no running server
// needed). The database is migrated first unless IKZ_MIGRATE_ON_START=false.
func tokenCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("token: want create, list or revoke (see ikz-verzeichnis token --help)")
	}
	sub, rest := args[0], args[1:]
	var do func(ctx context.Context, db *store.DB) error
	switch sub {
	case "create":
		var err error
		if do, err = tokenCreate(rest, stdout, stderr); err != nil {
			if errors.Is(err, errHelp) {
				return nil
			}
			return err
		}
	case "list":
		if len(rest) > 0 {
			return fmt.Errorf("token list: unexpected arguments %q", rest)
		}
		do = func(ctx context.Context, db *store.DB) error { return tokenList(ctx, db, stdout) }
	case "revoke":
		if len(rest) != 1 {
			return errors.New("token revoke: want exactly one token id (see token list)")
		}
		do = func(ctx context.Context, db *store.DB) error {
			if err := db.RevokeToken(ctx, rest[0]); err != nil {
				return fmt.Errorf("token revoke: %w", err)
			}
			fmt.Fprintf(stderr, "Token %s revoked; it is refused from now on.\n", rest[0])
			return nil
		}
	case "-h", "--help", "help":
		fmt.Fprint(stdout, tokenUsage)
		return nil
	default:
		return fmt.Errorf("token: unknown sub-command %q (want create, list or revoke)", sub)
	}

	db, _, err := openForCommand(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	return do(coop.WithActor(ctx, coop.System), db)
}

// stringsFlag collects a repeated flag.
type stringsFlag []string

func (s *stringsFlag) String() string { return strings.Join(*s, ",") }

func (s *stringsFlag) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*s = append(*s, x)
		}
	}
	return nil
}

// tokenCreate parses the flags of token create and returns the action.
func tokenCreate(args []string, stdout, stderr io.Writer) (func(context.Context, *store.DB) error, error) {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "who or what uses the token, e.g. \"Portal Münsterland\" (required)")
	var roles stringsFlag
	fs.Var(&roles, "role", "reader, controlling, editor or admin (required; repeatable: the rights add up)")
	expires := fs.String("expires", "", "lifetime, e.g. 90d or 12h (default: no expiry)")
	var partners stringsFlag
	fs.Var(&partners, "partner", "bind an editor to this partner (slug or id; repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("token create: unexpected arguments %q", fs.Args())
	}
	if *name == "" || len(roles) == 0 {
		return nil, errors.New("token create: --name and --role are required")
	}
	d := coop.TokenDraft{Name: *name, Roles: roles, Partners: partners}
	if *expires != "" {
		ttl, err := auth.ParseExpiry(*expires)
		if err != nil {
			return nil, fmt.Errorf("token create: --expires: want e.g. 90d, 12h or 30m, got %q", *expires)
		}
		at := time.Now().Add(ttl).UTC()
		d.ExpiresAt = &at
	}
	return func(ctx context.Context, db *store.DB) error {
		tok, secret, err := db.CreateToken(ctx, d)
		if err != nil {
			return fmt.Errorf("token create: %s", describe(err))
		}
		fmt.Fprintf(stderr, "Created token %q (id %s, roles %s", tok.Name, tok.ID, strings.Join(tok.Roles, ","))
		if len(tok.Partners) > 0 {
			fmt.Fprintf(stderr, ", partners %s", refSlugs(tok.Partners))
		}
		if tok.ExpiresAt != nil {
			fmt.Fprintf(stderr, ", expires %s", tok.ExpiresAt.Format(time.RFC3339))
		}
		fmt.Fprintln(stderr, ").")
		fmt.Fprintln(stderr, "Store it now: it is shown only this once. Use it as: Authorization: Bearer <token>")
		_, err = fmt.Fprintln(stdout, secret)
		return err
	}, nil
}

// tokenList prints every token as a table.
func tokenList(ctx context.Context, db *store.DB, stdout io.Writer) error {
	list, err := db.ListTokens(ctx)
	if err != nil {
		return fmt.Errorf("token list: %w", err)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tROLES\tPARTNERS\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
	for _, t := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Roles, ","), orDash(refSlugs(t.Partners)),
			stamp(&t.CreatedAt), stamp(t.ExpiresAt), stamp(t.LastUsedAt), stamp(t.RevokedAt))
	}
	return w.Flush()
}

func refSlugs(refs []coop.Ref) string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Slug
		if out[i] == "" {
			out[i] = r.ID
		}
	}
	return strings.Join(out, ",")
}

func stamp(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// describe spells out a validation error with its fields for the terminal.
func describe(err error) string {
	var e *coop.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err.Error()
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = fmt.Sprintf("%s: %s", f.Field, f.Message)
	}
	return strings.Join(parts, "; ")
}

// healthcheck asks the local server's /healthz (for the container's HEALTHCHECK:
// the image has no shell and no curl).
func healthcheck(ctx context.Context, args []string, getenv func(string) string) error {
	if len(args) > 0 {
		return fmt.Errorf("healthcheck: unexpected arguments %q", args)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(cfg.ListenAddr)
	if err != nil {
		return err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, port) + "/healthz"
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	return nil
}
