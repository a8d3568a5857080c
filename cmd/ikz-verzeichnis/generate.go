package main

// Regenerate the Swagger 2.0 spec in docs/ from the annotations (general info in
// main.go, operations beside their handlers in internal/httpapi) with the pinned swag:
//
//	go generate ./cmd/ikz-verzeichnis
//
// .ci/run runs the same swag version with the same flags into a temporary directory
// and fails if the result differs from the committed docs/.
//
//go:generate go run github.com/swaggo/swag/cmd/swag@v1.16.6 init --quiet --dir ../../ --generalInfo cmd/ikz-verzeichnis/main.go --output ../../docs --parseInternal --outputTypes go,json,yaml
