// Package k8scheck holds no code, only tests: they check the deployment files
// under deployments/ and the Dockerfile in CI. They are a Go module of their own
// (run them here with go test ./...), so that kustomize and k8s.io/api, which only
// they need, stay out of the service's module graph.
//
// The kustomize base is built in-process with sigs.k8s.io/kustomize/api/krusty,
// as `kustomize build` would, and every object it renders is decoded strictly
// (case-sensitive, unknown and duplicate fields are errors) into its type from
// k8s.io/api. On top, the tests enforce the house rules for pods (non-root,
// read-only root filesystem, probes, resources), check that selectors, ports
// and names refer to each other correctly, and check the compose file, the
// Secret and CloudNativePG examples and the Dockerfile.
package k8scheck
