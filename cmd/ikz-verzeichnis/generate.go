package main

// Regenerate the API contract and the Go client from the annotations (general info in
// main.go, operations beside their handlers in internal/httpapi), in this order:
//
//  1. swag (pinned) → docs/ (Swagger 2.0: docs.go, swagger.json);
//     --requiredByDefault: every DTO field without omitempty is required.
//  2. cmd/openapi-gen → docs/swagger.json and docs/swagger.yaml as valid Swagger 2.0
//     (internal/openapi.Swagger2), api/openapi.json (OpenAPI 3.0, openapi.Convert).
//  3. oapi-codegen (a go tool of this module) → client/ikzclient.gen.go, through
//     client/oapi-codegen-overlay.yaml.
//
// Run it all with one command from the repository root:
//
//	go generate ./...
//
// .ci/run runs the same steps in a copy of the tree and fails if the result differs
// from the committed docs/, api/openapi.json or client/.
//
//go:generate go run github.com/swaggo/swag/cmd/swag@v1.16.6 init --quiet --requiredByDefault --dir ../../ --generalInfo cmd/ikz-verzeichnis/main.go --output ../../docs --parseInternal --outputTypes go,json
//go:generate go run ../openapi-gen -in ../../docs/swagger.json -yaml ../../docs/swagger.yaml -out ../../api/openapi.json
//go:generate go tool oapi-codegen -config ../../client/oapi-codegen.yaml -o ../../client/ikzclient.gen.go ../../api/openapi.json
