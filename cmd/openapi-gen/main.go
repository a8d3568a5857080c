// Command openapi-gen finishes what swag generates (it runs in `go generate ./...`
// after swag): it rewrites docs/swagger.json and docs/swagger.yaml as valid Swagger
// 2.0 (openapi.Swagger2, the document /swagger/doc.json serves) and converts it into
// the OpenAPI 3.0 contract api/openapi.json.
package main

import (
	"flag"
	"fmt"
	"os"

	"sigs.k8s.io/yaml"

	"github.com/ikz-verzeichnis/ikz-verzeichnis/internal/openapi"
)

func main() {
	in := flag.String("in", "docs/swagger.json", "Swagger 2.0 input, rewritten in place as valid Swagger 2.0")
	yamlOut := flag.String("yaml", "docs/swagger.yaml", "the same Swagger 2.0 document as YAML")
	out := flag.String("out", "api/openapi.json", "OpenAPI 3.0 output")
	flag.Parse()
	if err := run(*in, *yamlOut, *out); err != nil {
		fmt.Fprintln(os.Stderr, "openapi-gen:", err)
		os.Exit(1)
	}
}

func run(in, yamlOut, out string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	swagger2, err := openapi.Swagger2(src)
	if err != nil {
		return err
	}
	asYAML, err := yaml.JSONToYAML(swagger2)
	if err != nil {
		return err
	}
	doc, err := openapi.Convert(swagger2)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{in, swagger2}, {yamlOut, asYAML}, {out, doc}} {
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
