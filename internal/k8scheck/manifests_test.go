package k8scheck_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// Paths relative to this package's directory, where go test runs.
const (
	repoRoot      = "../.."
	baseDir       = repoRoot + "/deployments/k8s/base"
	composeDir    = repoRoot + "/deployments/compose"
	examplesDir   = repoRoot + "/deployments/k8s/examples"
	dockerfile    = repoRoot + "/Dockerfile"
	secretExample = baseDir + "/secret.example.yaml"
)

// base holds the objects the kustomize base renders: exactly one of each.
type base struct {
	Deployment     *appsv1.Deployment
	Service        *corev1.Service
	ConfigMap      *corev1.ConfigMap
	ServiceAccount *corev1.ServiceAccount
	Job            *batchv1.Job
	HPA            *autoscalingv2.HorizontalPodAutoscaler
	PDB            *policyv1.PodDisruptionBudget
	NetworkPolicy  *networkingv1.NetworkPolicy
}

// newObject makes the typed object for each "apiVersion kind" the base may
// render. Anything else (autoscaling/v1, policy/v1beta1, a Secret, …) fails.
var newObject = map[string]func() any{
	"apps/v1 Deployment":                     func() any { return new(appsv1.Deployment) },
	"v1 Service":                             func() any { return new(corev1.Service) },
	"v1 ConfigMap":                           func() any { return new(corev1.ConfigMap) },
	"v1 ServiceAccount":                      func() any { return new(corev1.ServiceAccount) },
	"batch/v1 Job":                           func() any { return new(batchv1.Job) },
	"autoscaling/v2 HorizontalPodAutoscaler": func() any { return new(autoscalingv2.HorizontalPodAutoscaler) },
	"policy/v1 PodDisruptionBudget":          func() any { return new(policyv1.PodDisruptionBudget) },
	"networking.k8s.io/v1 NetworkPolicy":     func() any { return new(networkingv1.NetworkPolicy) },
}

var (
	buildOnce sync.Once
	built     base
	buildErr  error
)

// MustBase builds the kustomize base once per test binary and returns its
// strictly decoded objects.
func MustBase(tb testing.TB) base {
	tb.Helper()
	buildOnce.Do(func() { built, buildErr = buildBase(baseDir) })
	if buildErr != nil {
		tb.Fatalf("kustomize base: %v", buildErr)
	}
	return built
}

// buildBase runs kustomize on dir and strictly decodes every object.
func buildBase(dir string) (base, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return base{}, err
	}
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resMap, err := k.Run(filesys.MakeFsOnDisk(), abs)
	if err != nil {
		return base{}, fmt.Errorf("build: %w", err)
	}
	var errs []error
	objs := map[string][]any{}
	for _, r := range resMap.Resources() {
		id := r.GetApiVersion() + " " + r.GetKind()
		name := id + " " + r.GetName()
		mk, ok := newObject[id]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: kind not expected in the base (teach k8scheck if intended)", name))
			continue
		}
		y, err := r.AsYAML()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		obj := mk()
		if err := DecodeStrict(y, obj); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		objs[id] = append(objs[id], obj)
	}
	b := base{
		Deployment:     one[appsv1.Deployment](objs, "apps/v1 Deployment", &errs),
		Service:        one[corev1.Service](objs, "v1 Service", &errs),
		ConfigMap:      one[corev1.ConfigMap](objs, "v1 ConfigMap", &errs),
		ServiceAccount: one[corev1.ServiceAccount](objs, "v1 ServiceAccount", &errs),
		Job:            one[batchv1.Job](objs, "batch/v1 Job", &errs),
		HPA:            one[autoscalingv2.HorizontalPodAutoscaler](objs, "autoscaling/v2 HorizontalPodAutoscaler", &errs),
		PDB:            one[policyv1.PodDisruptionBudget](objs, "policy/v1 PodDisruptionBudget", &errs),
		NetworkPolicy:  one[networkingv1.NetworkPolicy](objs, "networking.k8s.io/v1 NetworkPolicy", &errs),
	}
	return b, errors.Join(errs...)
}

// one returns the single decoded object of kind id, recording an error if
// there is none or more than one.
func one[T any](objs map[string][]any, id string, errs *[]error) *T {
	if n := len(objs[id]); n != 1 {
		*errs = append(*errs, fmt.Errorf("%s: want exactly one in the base, got %d", id, n))
		return nil
	}
	return objs[id][0].(*T)
}

// DecodeStrict decodes one YAML document into v the way the API server's
// strict field validation does: field names are case-sensitive, and unknown
// or duplicate fields are errors. encoding/json alone would accept
// "readonlyRootFilesystem" for readOnlyRootFilesystem.
func DecodeStrict(y []byte, v any) error {
	j, err := yaml.YAMLToJSONStrict(y)
	if err != nil {
		return err
	}
	strictErrs, err := kjson.UnmarshalStrict(j, v)
	if err != nil {
		return err
	}
	return errors.Join(strictErrs...)
}

// MustDecodeFile strictly decodes the single YAML document in path into v.
func MustDecodeFile(tb testing.TB, path string, v any) {
	tb.Helper()
	y, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := DecodeStrict(y, v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}

// MustMatch reports whether sel selects a pod with podLabels, failing on an
// invalid selector.
func MustMatch(tb testing.TB, sel *metav1.LabelSelector, podLabels map[string]string) bool {
	tb.Helper()
	if sel == nil {
		tb.Fatal("nil label selector")
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		tb.Fatalf("label selector %v: %v", sel, err)
	}
	return s.Matches(labels.Set(podLabels))
}
