package opendata

import (
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"strconv"
	"sync"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/coop"
)

// Format is a serialisation of the catalogue.
type Format string

// The catalogue's formats.
const (
	Turtle Format = "ttl"    // text/turtle
	JSONLD Format = "jsonld" // application/ld+json
)

// MediaType is the format's media type.
func (f Format) MediaType() string {
	if f == JSONLD {
		return "application/ld+json"
	}
	return "text/turtle; charset=utf-8"
}

// revision names the catalogue's shape: raise it when build changes what it writes, so
// that entity tags of the old shape no longer match.
const revision = 1

// Catalog serves the DCAT-AP.de catalogue. The documents are kept for the data version
// they were built at and built again only after a write; concurrent requests for a
// new version wait for one build.
type Catalog struct {
	src coop.OpenDataService
	set Settings

	settingsTag string // the settings and revision, in the entity tag

	mu      sync.Mutex
	version int64  // of docs; -1 before the first build
	base    string // of docs
	docs    map[Format][]byte
}

// NewCatalog returns the catalogue of src with the operator's settings.
func NewCatalog(src coop.OpenDataService, s Settings) *Catalog {
	sum := crc32.ChecksumIEEE([]byte(fmt.Sprintf("%d %+v", revision, s)))
	return &Catalog{src: src, set: s, version: -1, settingsTag: strconv.FormatUint(uint64(sum), 36)}
}

// ETag is the weak entity tag of the catalogue in format f at data stamp st, written
// for the base URL: it changes with every write, the settings and the catalogue's
// revision, and is known before the catalogue is built, so an unchanged catalogue
// costs a harvester one lookup of the data version.
func (c *Catalog) ETag(st coop.DataStamp, f Format, base string) string {
	return `W/"catalog-` + strconv.FormatInt(st.Version, 10) + "-" + c.settingsTag + "-" +
		strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(base))), 36) + "-" + string(f) + `"`
}

// Document returns the catalogue in format f as of the data stamp st (read by the
// caller, who derives its validators from it), its IRIs under base. A build may see
// writes newer than st; it is kept under st all the same and replaced once the stamp
// moves on. Only one base is kept: where IKZ_PUBLIC_URL is unset and clients name
// the host differently, each other base is built on its own and not cached, so no
// client's Host header ends up in another client's catalogue.
func (c *Catalog) Document(ctx context.Context, st coop.DataStamp, f Format, base string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == st.Version && c.base == base {
		return c.docs[f], nil
	}
	docs, err := c.build(ctx, st, base)
	if err != nil {
		return nil, err
	}
	if c.version != st.Version || c.base == "" {
		c.version, c.base, c.docs = st.Version, base, docs
	}
	return docs[f], nil
}

// build gathers the facts and renders every format.
func (c *Catalog) build(ctx context.Context, st coop.DataStamp, base string) (map[Format][]byte, error) {
	f, err := gather(ctx, c.src)
	if err != nil {
		return nil, err
	}
	f.stamp = st
	g := build(c.set.withDefaults(base), f)
	var ttl, jsonld bytes.Buffer
	if err := writeTurtle(&ttl, g); err != nil {
		return nil, err
	}
	if err := writeJSONLD(&jsonld, g); err != nil {
		return nil, err
	}
	return map[Format][]byte{Turtle: ttl.Bytes(), JSONLD: jsonld.Bytes()}, nil
}
