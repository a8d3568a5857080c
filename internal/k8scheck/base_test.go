package k8scheck_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/types"
)

// TestBaseBuildsStrict builds the kustomize base and decodes every object
// strictly into its API type (see MustBase); it fails on unknown, misspelt or
// duplicate fields and on kinds or API versions the base should not render.
func TestBaseBuildsStrict(t *testing.T) {
	b := MustBase(t)
	for name, got := range map[string]string{
		"Deployment":     b.Deployment.Name,
		"Service":        b.Service.Name,
		"ConfigMap":      b.ConfigMap.Name,
		"ServiceAccount": b.ServiceAccount.Name,
		"Job":            b.Job.Name,
		"HPA":            b.HPA.Name,
		"PDB":            b.PDB.Name,
		"NetworkPolicy":  b.NetworkPolicy.Name,
	} {
		if got == "" {
			t.Errorf("%s has no name", name)
		}
	}
	// The base leaves the namespace to overlays.
	for _, ns := range []string{b.Deployment.Namespace, b.Service.Namespace, b.Job.Namespace} {
		if ns != "" {
			t.Errorf("base sets namespace %q; leave it to overlays", ns)
		}
	}
}

// TestKustomizationResources checks that every manifest in the base folder is
// listed in kustomization.yaml, except the Secret example, which must not be.
func TestKustomizationResources(t *testing.T) {
	var k types.Kustomization
	MustDecodeFile(t, filepath.Join(baseDir, "kustomization.yaml"), &k)

	if slices.Contains(k.Resources, filepath.Base(secretExample)) {
		t.Errorf("kustomization.yaml lists %s: real secrets are created outside the base", filepath.Base(secretExample))
	}
	entries, err := os.ReadDir(baseDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".yaml") || n == "kustomization.yaml" || n == filepath.Base(secretExample) {
			continue
		}
		if !slices.Contains(k.Resources, n) {
			t.Errorf("%s is in the base folder but not in kustomization.yaml's resources", n)
		}
	}
	if k.Namespace != "" {
		t.Errorf("kustomization.yaml sets namespace %q; leave it to overlays", k.Namespace)
	}
}
