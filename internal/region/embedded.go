package region

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
)

// embeddedCSV is the register the binary ships with (data/README.md: source, licence,
// attribution), gzip-compressed: 0.45 MB instead of 1.8.
//
//go:embed data/gemeindeverzeichnis.csv.gz
var embeddedCSV []byte

// EmbeddedSource names the embedded register.
var EmbeddedSource = Source{
	Name:           "Destatis Gemeindeverzeichnis (GV-ISys), Auszug 4. Quartal 2020",
	AsOf:           "2020-12-31",
	PopulationAsOf: "2019-12-31",
	Licence:        "dl-de/by-2-0",
	LicenceURL:     "https://www.govdata.de/dl-de/by-2-0",
	Attribution:    "© Statistisches Bundesamt (Destatis), 2021, Gemeindeverzeichnis, dl-de/by-2-0",
}

// Embedded returns the register the binary ships with, parsed and indexed on first
// use (some 60 ms of CPU, 7 MB of heap kept; BenchmarkLoadEmbedded).
var Embedded = sync.OnceValues(func() (*Register, error) {
	return Load(embeddedCSV, EmbeddedSource)
})

// EmbeddedData is the embedded register as stored: the gzip-compressed CSV.
func EmbeddedData() []byte { return embeddedCSV }

// Load parses a gzip-compressed extract (see Parse).
func Load(gz []byte, src Source) (*Register, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	defer zr.Close()
	return Parse(io.LimitReader(zr, MaxBytes), src)
}

// MaxBytes bounds an extract's uncompressed size (the register is 1.8 MB).
const MaxBytes = 64 << 20

// Compress returns the gzip form Load reads and the SHA-256 (hex) of the CSV, which
// identifies an extract whatever its compression.
func Compress(csv []byte) (gz []byte, sha string, err error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, "", err
	}
	if _, err := zw.Write(csv); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), Digest(csv), nil
}

// Digest is the SHA-256 (hex) of an uncompressed extract.
func Digest(csv []byte) string {
	h := sha256.Sum256(csv)
	return hex.EncodeToString(h[:])
}

// EmbeddedDigest is the SHA-256 of the embedded extract, uncompressed ("" if it does
// not parse).
func EmbeddedDigest() string {
	reg, err := Embedded()
	if err != nil {
		return ""
	}
	return reg.Digest
}
