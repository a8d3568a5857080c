package k8scheck_test

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// knownEnv lists the service's environment variables (README.md, "Configuration").
// A misspelt IKZ_ name would be ignored silently by the service.
var knownEnv = []string{
	"IKZ_DATABASE_URL", "IKZ_DATABASE_REPLICA_URLS", "IKZ_LISTEN_ADDR", "IKZ_METRICS_ADDR",
	"IKZ_LOG_LEVEL", "IKZ_CORS_ORIGINS", "IKZ_PUBLIC_READ", "IKZ_SEED", "IKZ_OIDC_ISSUER",
	"IKZ_OIDC_AUDIENCE", "IKZ_OIDC_ROLES_CLAIM", "IKZ_RATE_LIMIT", "IKZ_BODY_LIMIT",
	"IKZ_MIGRATE_ON_START",
}

// secretEnv must come from a Secret, never a ConfigMap: the URLs carry passwords.
var secretEnv = []string{"IKZ_DATABASE_URL", "IKZ_DATABASE_REPLICA_URLS"}

// checkEnvNames fails for names with the IKZ_ prefix that the service does not know.
func checkEnvNames(t *testing.T, where string, names []string) {
	t.Helper()
	for _, n := range names {
		if strings.HasPrefix(n, "IKZ_") && !slices.Contains(knownEnv, n) {
			t.Errorf("%s: unknown variable %s", where, n)
		}
	}
}

// TestConfig checks the names in the ConfigMap, the Secret example and the
// containers' env, and that connection strings stay out of the ConfigMap.
func TestConfig(t *testing.T) {
	b := MustBase(t)
	var cmKeys []string
	for k := range b.ConfigMap.Data {
		cmKeys = append(cmKeys, k)
		if slices.Contains(secretEnv, k) {
			t.Errorf("ConfigMap holds %s; it belongs in the Secret", k)
		}
	}
	checkEnvNames(t, "ConfigMap", cmKeys)
	if v := b.ConfigMap.Data["IKZ_MIGRATE_ON_START"]; v != "" && v != "false" {
		t.Errorf("ConfigMap sets IKZ_MIGRATE_ON_START=%s", v)
	}

	s := mustSecretExample(t)
	var secretKeys []string
	for k := range s.StringData {
		secretKeys = append(secretKeys, k)
	}
	checkEnvNames(t, "secret.example.yaml", secretKeys)
	if _, ok := s.StringData["IKZ_DATABASE_URL"]; !ok {
		t.Error("secret.example.yaml: IKZ_DATABASE_URL missing")
	}

	for _, c := range slices.Concat(b.Deployment.Spec.Template.Spec.Containers, b.Job.Spec.Template.Spec.Containers) {
		var names []string
		for _, e := range c.Env {
			names = append(names, e.Name)
		}
		checkEnvNames(t, "container "+c.Name, names)
	}
}

// mustSecretExample strictly decodes secret.example.yaml.
func mustSecretExample(tb testing.TB) *corev1.Secret {
	tb.Helper()
	var s corev1.Secret
	MustDecodeFile(tb, secretExample, &s)
	if s.APIVersion != "v1" || s.Kind != "Secret" || s.Name == "" {
		tb.Fatalf("secret.example.yaml: want a named v1 Secret, got %s %s %q", s.APIVersion, s.Kind, s.Name)
	}
	return &s
}

// TestService checks that the Service selects the API pods and maps 80 to
// the container's 8080.
func TestService(t *testing.T) {
	b := MustBase(t)
	svc := b.Service
	pod := b.Deployment.Spec.Template
	if svc.Spec.Type != corev1.ServiceTypeClusterIP {
		t.Errorf("type %q, want ClusterIP", svc.Spec.Type)
	}
	if !labelsMatch(svc.Spec.Selector, pod.Labels) {
		t.Errorf("selector %v does not select the API pods %v", svc.Spec.Selector, pod.Labels)
	}
	c := pod.Spec.Containers[0]
	var http bool
	for _, p := range svc.Spec.Ports {
		target := p.TargetPort.IntValue()
		if n := containerPort(c, p.TargetPort.String()); n != 0 {
			target = int(n)
		}
		if target == 0 {
			t.Errorf("port %s: targetPort %s is no container port", p.Name, p.TargetPort.String())
		}
		if p.Port == 80 && target == 8080 {
			http = true
		}
	}
	if !http {
		t.Error("no port 80 → 8080")
	}
}

// TestScaling checks the HPA and the PDB against the Deployment.
func TestScaling(t *testing.T) {
	b := MustBase(t)
	h := b.HPA
	ref := h.Spec.ScaleTargetRef
	if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != b.Deployment.Name {
		t.Errorf("HPA targets %s %s %q, want the Deployment %q", ref.APIVersion, ref.Kind, ref.Name, b.Deployment.Name)
	}
	minReplicas := int32(1) // the API default
	if h.Spec.MinReplicas != nil {
		minReplicas = *h.Spec.MinReplicas
	}
	if minReplicas < 2 || h.Spec.MaxReplicas < minReplicas {
		t.Errorf("HPA replicas min %d max %d, want min ≥ 2 and max ≥ min", minReplicas, h.Spec.MaxReplicas)
	}
	var cpu bool
	for _, m := range h.Spec.Metrics {
		if m.Resource != nil && m.Resource.Name == corev1.ResourceCPU && m.Resource.Target.AverageUtilization != nil {
			cpu = true
		}
	}
	if !cpu {
		t.Error("HPA has no CPU utilization target")
	}

	p := b.PDB
	if p.Spec.MinAvailable == nil && p.Spec.MaxUnavailable == nil {
		t.Error("PDB sets neither minAvailable nor maxUnavailable")
	}
	if p.Spec.MinAvailable != nil && p.Spec.MinAvailable.IntValue() >= int(replicas(b.Deployment)) {
		t.Error("PDB minAvailable would block every voluntary eviction")
	}
	if !MustMatch(t, p.Spec.Selector, b.Deployment.Spec.Template.Labels) {
		t.Error("PDB does not select the API pods")
	}
}

// TestNetworkPolicy checks that the policy covers the API and migration pods,
// admits traffic only from named peers, and lets DNS, PostgreSQL and HTTPS out.
func TestNetworkPolicy(t *testing.T) {
	b := MustBase(t)
	np := b.NetworkPolicy
	for name, l := range map[string]map[string]string{
		"API pods":       b.Deployment.Spec.Template.Labels,
		"migration pods": b.Job.Spec.Template.Labels,
	} {
		if !MustMatch(t, &np.Spec.PodSelector, l) {
			t.Errorf("podSelector does not cover the %s", name)
		}
	}
	for _, want := range []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress} {
		if !slices.Contains(np.Spec.PolicyTypes, want) {
			t.Errorf("policyTypes lacks %s", want)
		}
	}
	var api bool
	for i, r := range np.Spec.Ingress {
		if len(r.From) == 0 || len(r.Ports) == 0 {
			t.Errorf("ingress rule %d admits any peer or any port", i)
		}
		for _, p := range r.Ports {
			if p.Port != nil && p.Port.IntValue() == 8080 {
				api = true
			}
		}
	}
	if !api {
		t.Error("no ingress rule for port 8080")
	}
	for _, want := range []struct {
		proto corev1.Protocol
		port  int
	}{{corev1.ProtocolUDP, 53}, {corev1.ProtocolTCP, 53}, {corev1.ProtocolTCP, 5432}, {corev1.ProtocolTCP, 443}} {
		if !egressAllows(np.Spec.Egress, want.proto, want.port) {
			t.Errorf("egress does not allow %s %d", want.proto, want.port)
		}
	}
}

func egressAllows(rules []networkingv1.NetworkPolicyEgressRule, proto corev1.Protocol, port int) bool {
	for _, r := range rules {
		for _, p := range r.Ports {
			pr := corev1.ProtocolTCP
			if p.Protocol != nil {
				pr = *p.Protocol
			}
			if pr == proto && p.Port != nil && p.Port.IntValue() == port {
				return true
			}
		}
	}
	return false
}
