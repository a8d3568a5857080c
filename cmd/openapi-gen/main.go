// Command openapi-gen converts docs/swagger.json (swag's Swagger 2.0 output) into the
// OpenAPI 3.0 contract api/openapi.json. It runs in `go generate ./...` after swag.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/openapi"
)

func main() {
	in := flag.String("in", "docs/swagger.json", "Swagger 2.0 input")
	out := flag.String("out", "api/openapi.json", "OpenAPI 3.0 output")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "openapi-gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	doc, err := openapi.Convert(src)
	if err != nil {
		return err
	}
	return os.WriteFile(out, doc, 0o644)
}
