package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// resource is any directory resource: it has id, slug and version.
type resource interface{ Metadata() coop.Meta }

// patchResource is the flow of every PATCH: read the current resource, check If-Match
// against it, merge the patch into its request form, write it with the version the
// merge was based on (so a concurrent change is never overwritten), and answer with
// the new version.
func patchResource[R resource, In any](s *Server, c echo.Context, typ string,
	find func(context.Context, string) (R, error),
	base func(R) In,
	update func(ctx context.Context, id string, in In, version int) (R, error),
	out func(R) any,
) error {
	if err := canWrite(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cur, err := find(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	m := cur.Metadata()
	want, err := ifMatchVersion(c, m.ID)
	if err != nil {
		return err
	}
	var in In
	if err := bindMerged(c, base(cur), &in); err != nil {
		return err
	}
	res, err := update(ctx, m.ID, in, versionFor(want, m.Version))
	if err != nil {
		return err
	}
	countWrite(typ, coop.ActionUpdate)
	rm := res.Metadata()
	return s.writeResource(c, http.StatusOK, rm.ID, rm.Version, out(res))
}

// deleteResource is the flow of every DELETE: read the current resource, check
// If-Match against it, soft-delete that version, answer 204.
func deleteResource[R resource](c echo.Context, typ string,
	find func(context.Context, string) (R, error),
	del func(ctx context.Context, id string, version int) error,
) error {
	if err := canWrite(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cur, err := find(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	m := cur.Metadata()
	want, err := ifMatchVersion(c, m.ID)
	if err != nil {
		return err
	}
	if err := del(ctx, m.ID, versionFor(want, m.Version)); err != nil {
		return err
	}
	countWrite(typ, coop.ActionDelete)
	return c.NoContent(http.StatusNoContent)
}

// versionFor is the version a merged write must still find: the If-Match one, or the
// one the merge was based on (so a concurrent change is never silently overwritten).
func versionFor(ifMatch, read int) int {
	if ifMatch != 0 {
		return ifMatch
	}
	return read
}
