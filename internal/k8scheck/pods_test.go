package k8scheck_test

import (
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// nonrootUID is the distroless "nonroot" user the image runs as.
const nonrootUID = 65532

// TestPodSecurity enforces the house rules on every pod the base creates (the
// API's and the migration Job's): non-root user, read-only root filesystem,
// no privilege escalation, all capabilities dropped, RuntimeDefault seccomp,
// no service account token, resources requested and limited, a pinned image.
func TestPodSecurity(t *testing.T) {
	b := MustBase(t)
	for name, spec := range map[string]*corev1.PodSpec{
		"Deployment " + b.Deployment.Name: &b.Deployment.Spec.Template.Spec,
		"Job " + b.Job.Name:               &b.Job.Spec.Template.Spec,
	} {
		t.Run(name, func(t *testing.T) { checkPodSpec(t, spec) })
	}
}

func checkPodSpec(t *testing.T, spec *corev1.PodSpec) {
	t.Helper()
	psc := spec.SecurityContext
	if psc == nil {
		t.Fatal("pod securityContext missing")
	}
	if !isTrue(psc.RunAsNonRoot) {
		t.Error("pod securityContext.runAsNonRoot must be true")
	}
	if psc.RunAsUser == nil || *psc.RunAsUser != nonrootUID {
		t.Errorf("pod securityContext.runAsUser must be %d", nonrootUID)
	}
	if psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Error("pod securityContext.seccompProfile must be RuntimeDefault")
	}
	if !isFalse(spec.AutomountServiceAccountToken) {
		t.Error("automountServiceAccountToken must be false")
	}
	if !isFalse(spec.EnableServiceLinks) {
		t.Error("enableServiceLinks must be false (service links add IKZ_VERZEICHNIS_* variables)")
	}
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		t.Error("no host namespaces")
	}
	if len(spec.Containers) == 0 {
		t.Fatal("no containers")
	}
	all := slices.Concat(spec.InitContainers, spec.Containers)
	for i := range all {
		checkContainer(t, psc, &all[i])
	}
}

func checkContainer(t *testing.T, psc *corev1.PodSecurityContext, c *corev1.Container) {
	t.Helper()
	sc := c.SecurityContext
	if sc == nil {
		t.Errorf("container %s: securityContext missing", c.Name)
		return
	}
	if !isTrue(sc.RunAsNonRoot) && !isTrue(psc.RunAsNonRoot) {
		t.Errorf("container %s: runAsNonRoot must be true", c.Name)
	}
	if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
		t.Errorf("container %s: runAsUser 0", c.Name)
	}
	if !isTrue(sc.ReadOnlyRootFilesystem) {
		t.Errorf("container %s: readOnlyRootFilesystem must be true", c.Name)
	}
	if !isFalse(sc.AllowPrivilegeEscalation) {
		t.Errorf("container %s: allowPrivilegeEscalation must be false", c.Name)
	}
	if isTrue(sc.Privileged) {
		t.Errorf("container %s: privileged", c.Name)
	}
	if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0 {
		t.Errorf("container %s: capabilities must drop ALL and add none", c.Name)
	}
	if sc.SeccompProfile != nil && sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("container %s: seccompProfile %q", c.Name, sc.SeccompProfile.Type)
	}
	for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, okReq := c.Resources.Requests[res]
		lim, okLim := c.Resources.Limits[res]
		if !okReq || !okLim {
			t.Errorf("container %s: %s request and limit required", c.Name, res)
			continue
		}
		if req.Cmp(lim) > 0 {
			t.Errorf("container %s: %s request %s above limit %s", c.Name, res, req.String(), lim.String())
		}
	}
	if !imagePinned(c.Image) {
		t.Errorf("container %s: image %q must carry a tag or digest other than latest", c.Name, c.Image)
	}
}

// TestDeployment checks the API Deployment: replicas, rollout, probes, config
// wiring and that it never migrates by itself.
func TestDeployment(t *testing.T) {
	b := MustBase(t)
	d := b.Deployment
	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Errorf("replicas must be ≥ 2, got %d", replicas(d))
	}
	if !MustMatch(t, d.Spec.Selector, d.Spec.Template.Labels) {
		t.Error("selector does not match the pod template's labels")
	}
	ru := d.Spec.Strategy.RollingUpdate
	if d.Spec.Strategy.Type != "RollingUpdate" || ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.String() != "0" {
		t.Error("strategy must be RollingUpdate with maxUnavailable 0")
	}
	if g := d.Spec.Template.Spec.TerminationGracePeriodSeconds; g == nil || *g < 15 {
		t.Error("terminationGracePeriodSeconds must leave serve its 10 s shutdown (≥ 15)")
	}
	if len(d.Spec.Template.Spec.TopologySpreadConstraints) == 0 {
		t.Error("topologySpreadConstraints missing")
	}
	if d.Spec.Template.Spec.ServiceAccountName != b.ServiceAccount.Name {
		t.Errorf("serviceAccountName %q, want %q", d.Spec.Template.Spec.ServiceAccountName, b.ServiceAccount.Name)
	}
	if b.ServiceAccount.AutomountServiceAccountToken == nil || *b.ServiceAccount.AutomountServiceAccountToken {
		t.Error("ServiceAccount: automountServiceAccountToken must be false")
	}

	c := d.Spec.Template.Spec.Containers[0]
	if len(c.Command) > 0 || len(c.Args) > 0 && !slices.Equal(c.Args, []string{"serve"}) {
		t.Errorf("API container runs %v %v, want the image's entrypoint with serve", c.Command, c.Args)
	}
	for _, p := range []struct {
		name  string
		probe *corev1.Probe
		path  string
	}{
		{"startupProbe", c.StartupProbe, ""},
		{"livenessProbe", c.LivenessProbe, "/healthz"},
		{"readinessProbe", c.ReadinessProbe, "/readyz"},
	} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s: HTTP probe required", p.name)
			continue
		}
		if p.path != "" && p.probe.HTTPGet.Path != p.path {
			t.Errorf("%s: path %q, want %q", p.name, p.probe.HTTPGet.Path, p.path)
		}
		if port := p.probe.HTTPGet.Port; containerPort(c, port.String()) != 8080 && port.IntValue() != 8080 {
			t.Errorf("%s: port %s is not the API port 8080", p.name, port.String())
		}
	}

	if v, ok := envValue(c.Env, "IKZ_MIGRATE_ON_START"); !ok || v != "false" {
		t.Errorf("IKZ_MIGRATE_ON_START must be set to false in the container env, got %q", v)
	}
	checkEnvFrom(t, b, c.EnvFrom)
}

// TestMigrationJob checks that the Job runs `migrate` with the same image and
// configuration as the API, retries a few times and cleans up after itself.
func TestMigrationJob(t *testing.T) {
	b := MustBase(t)
	j := b.Job
	spec := j.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(spec.Containers))
	}
	c := spec.Containers[0]
	if got := slices.Concat(c.Command, c.Args); !slices.Equal(got, []string{"migrate"}) {
		t.Errorf("Job runs %q, want [migrate] (as args to the image's entrypoint)", got)
	}
	if c.Image != b.Deployment.Spec.Template.Spec.Containers[0].Image {
		t.Errorf("Job image %q differs from the Deployment's", c.Image)
	}
	if j.Spec.BackoffLimit == nil || *j.Spec.BackoffLimit < 1 || *j.Spec.BackoffLimit > 6 {
		t.Error("backoffLimit must be set (1–6)")
	}
	if j.Spec.TTLSecondsAfterFinished == nil {
		t.Error("ttlSecondsAfterFinished must be set")
	}
	if spec.RestartPolicy != corev1.RestartPolicyNever && spec.RestartPolicy != corev1.RestartPolicyOnFailure {
		t.Errorf("restartPolicy %q", spec.RestartPolicy)
	}
	checkEnvFrom(t, b, c.EnvFrom)
	// The Job's pods must not count as API pods.
	if MustMatch(t, b.Deployment.Spec.Selector, j.Spec.Template.Labels) {
		t.Error("the Deployment's selector matches the Job's pods")
	}
	if MustMatch(t, b.PDB.Spec.Selector, j.Spec.Template.Labels) {
		t.Error("the PDB's selector matches the Job's pods")
	}
	if labelsMatch(b.Service.Spec.Selector, j.Spec.Template.Labels) {
		t.Error("the Service's selector matches the Job's pods")
	}
}

// checkEnvFrom wants the ConfigMap and the Secret of the base, both required.
func checkEnvFrom(t *testing.T, b base, from []corev1.EnvFromSource) {
	t.Helper()
	var cm, secret bool
	for _, f := range from {
		if f.ConfigMapRef != nil && f.ConfigMapRef.Name == b.ConfigMap.Name && !isTrue(f.ConfigMapRef.Optional) {
			cm = true
		}
		if f.SecretRef != nil && f.SecretRef.Name == mustSecretExample(t).Name && !isTrue(f.SecretRef.Optional) {
			secret = true
		}
	}
	if !cm || !secret {
		t.Errorf("envFrom must reference ConfigMap %q and Secret %q (not optional), got ConfigMap %v, Secret %v",
			b.ConfigMap.Name, mustSecretExample(t).Name, cm, secret)
	}
}

// imagePinned reports whether image names a tag other than latest, or a digest.
func imagePinned(image string) bool {
	if strings.Contains(image, "@sha256:") {
		return true
	}
	last := image[strings.LastIndex(image, "/")+1:]
	_, tag, ok := strings.Cut(last, ":")
	return ok && tag != "" && tag != "latest"
}

func containerPort(c corev1.Container, name string) int32 {
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	return 0
}

func envValue(env []corev1.EnvVar, name string) (string, bool) {
	for _, e := range env {
		if e.Name == name {
			return e.Value, true
		}
	}
	return "", false
}

// labelsMatch reports whether a map selector (as in a Service) selects podLabels.
func labelsMatch(selector, podLabels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if podLabels[k] != v {
			return false
		}
	}
	return true
}

// replicas returns the Deployment's replicas, 1 if unset (the API default).
func replicas(d *appsv1.Deployment) int32 {
	if d.Spec.Replicas == nil {
		return 1
	}
	return *d.Spec.Replicas
}

func isTrue(b *bool) bool  { return b != nil && *b }
func isFalse(b *bool) bool { return b != nil && !*b }
