package httpapi

import (
	"context"
	"math/rand/v2"
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// resource is any directory resource: it has id, slug and version.
type resource interface{ Metadata() coop.Meta }

// patchResource is the flow of every PATCH: read the patch once, let guard (may be
// nil) refuse it by the fields it names, then apply it in turn: read the current
// resource, check If-Match against it, merge the patch into its request form, and
// write it with the version the merge was based on (so a concurrent change is never
// overwritten); answer with the new version.
func patchResource[R resource, In any](s *Server, c echo.Context, typ string,
	find func(context.Context, string) (R, error),
	base func(R) In,
	update func(ctx context.Context, id string, in In, version int) (R, error),
	out func(R) any,
	guard func(patch map[string]any) error,
) error {
	if err := canWrite(c); err != nil {
		return err
	}
	patch, err := readPatch(c, reflect.TypeFor[In]())
	if err != nil {
		return err
	}
	if guard != nil {
		if err := guard(patch); err != nil {
			return err
		}
	}
	ctx := c.Request().Context()
	var res R
	err = applyInTurn(c, func() error {
		cur, version, err := current(c, find)
		if err != nil {
			return err
		}
		var in In
		if err := mergeInto(patch, base(cur), &in); err != nil {
			return err
		}
		res, err = update(ctx, cur.Metadata().ID, in, version)
		return err
	})
	if err != nil {
		return err
	}
	countWrite(typ, coop.ActionUpdate)
	rm := res.Metadata()
	return s.writeResource(c, http.StatusOK, rm.ID, rm.Version, out(res))
}

// deleteResource is the flow of every DELETE: read the current resource, check
// If-Match against it, soft-delete that version (in turn, without If-Match), answer
// 204.
func deleteResource[R resource](c echo.Context, typ string,
	find func(context.Context, string) (R, error),
	del func(ctx context.Context, id string, version int) error,
) error {
	if err := canWrite(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	err := applyInTurn(c, func() error {
		cur, version, err := current(c, find)
		if err != nil {
			return err
		}
		return del(ctx, cur.Metadata().ID, version)
	})
	if err != nil {
		return err
	}
	countWrite(typ, coop.ActionDelete)
	return c.NoContent(http.StatusNoContent)
}

// current reads the resource the path names and the version a write must still find:
// If-Match's (412 when it names another), or the one just read.
func current[R resource](c echo.Context, find func(context.Context, string) (R, error)) (R, int, error) {
	cur, err := find(c.Request().Context(), c.Param("id"))
	if err != nil {
		return cur, 0, err
	}
	m := cur.Metadata()
	want, err := ifMatchVersion(c, m.ID)
	if err != nil {
		return cur, 0, err
	}
	return cur, versionFor(want, m.Version), nil
}

// versionFor is the version a merged write must still find: the If-Match one, or the
// one the merge was based on (so a concurrent change is never silently overwritten).
func versionFor(ifMatch, read int) int {
	if ifMatch != 0 {
		return ifMatch
	}
	return read
}

// maxWriteAttempts bounds how often applyInTurn reads and writes again.
const maxWriteAttempts = 100

// applyInTurn runs attempt, a version-checked write of the resource the request's
// path names, until the store no longer refuses it as stale. Only a client that sent
// If-Match asked for a precondition (RFC 9110 allows 412 for nothing else): without
// one, a write that a concurrent change overtook reads the resource again and is
// merged anew on the current version, so that parallel unconditional writes are all
// applied, one after the other. Within this process they also wait for their turn
// (turns), so that they rarely overtake one another at all; the retries are for
// writers in other processes. Bounded by maxWriteAttempts and the request's deadline;
// then the answer is 503 with Retry-After.
func applyInTurn(c echo.Context, attempt func() error) error {
	if conditional(c) {
		return attempt()
	}
	ctx := c.Request().Context()
	release, err := turns.take(ctx, c.Path()+" "+c.Param("id"))
	if err != nil {
		return busy()
	}
	defer release()
	for i := 1; ; i++ {
		err := attempt()
		if coop.ErrorCode(err) != coop.EPrecondition {
			return err
		}
		if i == maxWriteAttempts {
			return busy()
		}
		// A short random pause, so that writers that lost do not meet again.
		select {
		case <-ctx.Done():
			return busy()
		case <-time.After(time.Duration(rand.Int64N(int64(min(i, 20)) * int64(time.Millisecond)))):
		}
	}
}

// busy is the answer when a write did not get its turn within the request's deadline
// or lost maxWriteAttempts times.
func busy() error {
	return coop.Errorf(coop.EUnavailable, "Die Ressource wird gerade zu oft gleichzeitig geändert; bitte erneut versuchen / too many concurrent changes, try again")
}

// turns lets the unconditional writes of this process to one resource (by route and
// path id) take their turns.
var turns = keyedTurns{m: map[string]*turn{}}

// keyedTurns is a lock per key that a waiter may give up when its context ends; a
// key's entry lives only while someone holds or waits for it.
type keyedTurns struct {
	mu sync.Mutex
	m  map[string]*turn
}

type turn struct {
	ch    chan struct{}
	users int
}

func (k *keyedTurns) take(ctx context.Context, key string) (release func(), err error) {
	k.mu.Lock()
	t := k.m[key]
	if t == nil {
		t = &turn{ch: make(chan struct{}, 1)}
		k.m[key] = t
	}
	t.users++
	k.mu.Unlock()
	leave := func() {
		k.mu.Lock()
		if t.users--; t.users == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
	select {
	case t.ch <- struct{}{}:
		return func() { <-t.ch; leave() }, nil
	case <-ctx.Done():
		leave()
		return nil, ctx.Err()
	}
}
