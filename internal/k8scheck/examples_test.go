package k8scheck_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"
)

// TestCloudNativePGExample checks the CloudNativePG Cluster example without
// its CRD types: kind and version, a primary plus at least one replica, the
// database and owner, storage; and that the Secret example's URLs point at
// the cluster's read-write and read-only Services.
func TestCloudNativePGExample(t *testing.T) {
	path := filepath.Join(examplesDir, "cloudnativepg-cluster.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name string `yaml:"name"`
		} `yaml:"metadata"`
		Spec struct {
			Instances int `yaml:"instances"`
			Bootstrap struct {
				InitDB struct {
					Database string `yaml:"database"`
					Owner    string `yaml:"owner"`
				} `yaml:"initdb"`
			} `yaml:"bootstrap"`
			Storage struct {
				Size string `yaml:"size"`
			} `yaml:"storage"`
		} `yaml:"spec"`
	}
	if err := yamlv3.Unmarshal(raw, &c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if c.APIVersion != "postgresql.cnpg.io/v1" || c.Kind != "Cluster" {
		t.Errorf("got %s %s, want postgresql.cnpg.io/v1 Cluster", c.APIVersion, c.Kind)
	}
	if c.Spec.Instances < 2 {
		t.Errorf("instances %d, want ≥ 2 (primary and replica)", c.Spec.Instances)
	}
	if db := c.Spec.Bootstrap.InitDB; db.Database != "ikz" || db.Owner != "ikz" {
		t.Errorf("bootstrap.initdb database %q owner %q, want ikz/ikz", db.Database, db.Owner)
	}
	if c.Spec.Storage.Size == "" {
		t.Error("storage.size missing")
	}

	s := mustSecretExample(t)
	for key, suffix := range map[string]string{"IKZ_DATABASE_URL": "-rw", "IKZ_DATABASE_REPLICA_URLS": "-ro"} {
		for _, raw := range strings.Split(s.StringData[key], ",") {
			u, err := url.Parse(strings.TrimSpace(raw))
			if err != nil {
				t.Errorf("secret example %s: %v", key, err)
				continue
			}
			if want := c.Metadata.Name + suffix; u.Hostname() != want || u.Scheme != "postgres" {
				t.Errorf("secret example %s host %q, want postgres://…@%s (the cluster's Service)", key, u.Hostname(), want)
			}
		}
	}
}
