package deploy

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/leakwatch/leakwatch/internal/blobstore"
)

// k8sDir is the kustomization, from the module root.
const k8sDir = "deploy/k8s"

// kustomization is the part of kustomization.yaml the tests read.
type kustomization struct {
	Kind       string   `yaml:"kind"`
	Resources  []string `yaml:"resources"`
	Components []string `yaml:"components"`
	Generators []struct {
		Name  string   `yaml:"name"`
		Files []string `yaml:"files"`
	} `yaml:"configMapGenerator"`
	Images []struct {
		Name string `yaml:"name"`
	} `yaml:"images"`
}

// object is the part of a Kubernetes object the tests read.
type object struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Template struct {
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
		BackoffLimit *int `yaml:"backoffLimit"`
	} `yaml:"spec"`
	StringData map[string]string `yaml:"stringData"`
}

type podSpec struct {
	Grace           *int64 `yaml:"terminationGracePeriodSeconds"`
	SecurityContext struct {
		RunAsNonRoot *bool  `yaml:"runAsNonRoot"`
		RunAsUser    *int64 `yaml:"runAsUser"`
	} `yaml:"securityContext"`
	Containers []container `yaml:"containers"`
	Volumes    []struct {
		Name      string `yaml:"name"`
		ConfigMap *struct {
			Name string `yaml:"name"`
		} `yaml:"configMap"`
	} `yaml:"volumes"`
}

type container struct {
	Name    string   `yaml:"name"`
	Image   string   `yaml:"image"`
	Command []string `yaml:"command"`
	Args    []string `yaml:"args"`
	Env     []struct {
		Name      string `yaml:"name"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Name string `yaml:"name"`
				Key  string `yaml:"key"`
			} `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	EnvFrom []struct {
		SecretRef *struct {
			Name string `yaml:"name"`
		} `yaml:"secretRef"`
	} `yaml:"envFrom"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	Mounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

// decodeAll reads every document of a multi-document YAML file.
func decodeAll(t *testing.T, name string, data []byte) []object {
	t.Helper()
	var objs []object
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var o object
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			return objs
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if o.Kind == "" {
			t.Fatalf("%s: a document without kind", name)
		}
		objs = append(objs, o)
	}
}

// manifests are the kustomization and the objects of its resources, by kind/name.
func manifests(t *testing.T) (kustomization, map[string]object) {
	t.Helper()
	var k kustomization
	if err := yaml.Unmarshal(readFile(t, k8sDir, "kustomization.yaml"), &k); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	objs := map[string]object{}
	for _, r := range k.Resources {
		for _, o := range decodeAll(t, r, readFile(t, k8sDir, r)) {
			objs[o.Kind+"/"+o.Metadata.Name] = o
		}
	}
	return k, objs
}

// template reads one of the Secret templates kept beside the kustomization.
func template(t *testing.T, elem ...string) object {
	t.Helper()
	objs := decodeAll(t, path.Join(elem...), readFile(t, append([]string{k8sDir}, elem...)...))
	if len(objs) != 1 || objs[0].Kind != "Secret" {
		t.Fatalf("%s: want one Secret", path.Join(elem...))
	}
	return objs[0]
}

func TestK8sCommandsExist(t *testing.T) {
	t.Parallel()
	_, objs := manifests(t)
	lw := leakwatch(t)
	for _, id := range []string{"Deployment/leakwatch-worker", "Job/leakwatch-enqueue"} {
		c := onlyContainer(t, objs, id)
		if len(c.Command) > 0 {
			t.Errorf("%s overrides the image's entrypoint", id)
		}
		lw.check(t, invocation{where: k8sDir + " " + id, args: c.Args})
	}
}

func onlyContainer(t *testing.T, objs map[string]object, id string) container {
	t.Helper()
	o, ok := objs[id]
	if !ok || len(o.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%s: missing, or not one container", id)
	}
	return o.Spec.Template.Spec.Containers[0]
}

func TestK8sConsistent(t *testing.T) {
	t.Parallel()
	k, objs := manifests(t)
	uid := strings.Split(loadDockerfile(t).user, ":")[0]
	secret := template(t, "postgres-secret.template.yaml")
	for _, id := range []string{"Deployment/leakwatch-worker", "Job/leakwatch-enqueue"} {
		pod := objs[id].Spec.Template.Spec
		c := onlyContainer(t, objs, id)
		if len(k.Images) != 1 || c.Image != k.Images[0].Name {
			t.Errorf("%s: image %q, the kustomization sets %v: one leakwatch image", id, c.Image, k.Images)
		}
		if pod.SecurityContext.RunAsUser == nil || strconv.FormatInt(*pod.SecurityContext.RunAsUser, 10) != uid ||
			pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot {
			t.Errorf("%s: must run as non-root user %s, the image's", id, uid)
		}
		if c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" || c.Resources.Limits["memory"] == "" {
			t.Errorf("%s: cpu and memory requests and a memory limit are required", id)
		}
		if flagValue(c.Args, "--database") != "" {
			t.Errorf("%s: --database on the command line shows the password to ps; use %s", id, envDatabase)
		}
		db := false
		for _, e := range c.Env {
			checkEnvName(t, id, e.Name)
			if e.Name == envDatabase && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				ref := e.ValueFrom.SecretKeyRef
				_, hasKey := secret.StringData[ref.Key]
				db = ref.Name == secret.Metadata.Name && hasKey
			}
		}
		if !db {
			t.Errorf("%s: %s must come from the Secret %s (postgres-secret.template.yaml)", id, envDatabase, secret.Metadata.Name)
		}
	}
	worker := objs["Deployment/leakwatch-worker"].Spec.Template.Spec
	siteTimeout, err := time.ParseDuration(flagValue(worker.Containers[0].Args, "--site-timeout"))
	if err != nil || worker.Grace == nil || time.Duration(*worker.Grace)*time.Second <= siteTimeout {
		t.Errorf("worker: terminationGracePeriodSeconds must be longer than --site-timeout (%v), or SIGKILL cuts sites in flight", siteTimeout)
	}
	if b := objs["Job/leakwatch-enqueue"].Spec.BackoffLimit; b == nil || *b != 0 {
		t.Error("enqueue Job: backoffLimit must be 0: a retry would queue a second run")
	}
	checkSitesMount(t, k, objs["Job/leakwatch-enqueue"].Spec.Template.Spec)
}

// checkSitesMount: --sites names a file of the generated ConfigMap, mounted
// where the flag says.
func checkSitesMount(t *testing.T, k kustomization, pod podSpec) {
	t.Helper()
	sites := flagValue(pod.Containers[0].Args, "--sites")
	dir, file := path.Split(sites)
	var mountName string
	for _, m := range pod.Containers[0].Mounts {
		if path.Clean(m.MountPath) == path.Clean(dir) {
			mountName = m.Name
		}
	}
	var cm string
	for _, v := range pod.Volumes {
		if v.Name == mountName && v.ConfigMap != nil {
			cm = v.ConfigMap.Name
		}
	}
	ok := false
	for _, g := range k.Generators {
		ok = ok || (g.Name == cm && slices.Contains(g.Files, file))
	}
	if !ok {
		t.Errorf("enqueue --sites %s: no generated ConfigMap with %s is mounted at %s", sites, file, dir)
	}
}

// TestSecretTemplates: the templates hold placeholders, not secrets, and
// name only variables leakwatch reads.
func TestSecretTemplates(t *testing.T) {
	t.Parallel()
	pg := template(t, "postgres-secret.template.yaml")
	if !strings.Contains(pg.StringData["url"], ":CHANGE-ME@") {
		t.Errorf("postgres-secret.template.yaml: the password must be the placeholder CHANGE-ME")
	}
	s3 := template(t, "components", "s3", "s3-secret.template.yaml")
	for key, val := range s3.StringData {
		checkEnvName(t, "s3-secret.template.yaml", key)
		if (key == blobstore.EnvAccessKey || key == blobstore.EnvSecretKey) && val != "CHANGE-ME" {
			t.Errorf("s3-secret.template.yaml: %s must be the placeholder CHANGE-ME", key)
		}
	}
	for _, key := range []string{blobstore.EnvEndpoint, blobstore.EnvAccessKey, blobstore.EnvSecretKey, blobstore.EnvRegion} {
		if _, ok := s3.StringData[key]; !ok {
			t.Errorf("s3-secret.template.yaml lacks %s", key)
		}
	}
}

// TestKustomize renders the kustomization, alone and with the S3
// component, with kubectl when it is installed.
func TestKustomize(t *testing.T) {
	t.Parallel()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed: kustomize rendering not checked (the YAML is still parsed by the other tests)")
	}
	// A copy with the S3 component switched on, as docs/deploy.md says.
	withS3 := filepath.Join(t.TempDir(), "k8s")
	if err := os.CopyFS(withS3, os.DirFS(filepath.Join(repoRoot, k8sDir))); err != nil {
		t.Fatal(err)
	}
	kfile := filepath.Join(withS3, "kustomization.yaml")
	kdata, _ := os.ReadFile(kfile)
	kdata = bytes.Replace(kdata, []byte("# components:\n#   - components/s3"), []byte("components:\n  - components/s3"), 1)
	if err := os.WriteFile(kfile, kdata, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, dir string }{
		{"base", filepath.Join(repoRoot, k8sDir)},
		{"with S3", withS3},
	} {
		out, err := exec.Command(kubectl, "kustomize", tc.dir).Output()
		if err != nil {
			t.Fatalf("kubectl kustomize (%s): %v\n%s", tc.name, err, stderrOf(err))
		}
		objs := decodeAll(t, tc.name, out)
		kinds := map[string]bool{}
		for _, o := range objs {
			kinds[o.Kind] = true
		}
		for _, want := range []string{"Namespace", "ConfigMap", "Deployment", "Job"} {
			if !kinds[want] {
				t.Errorf("kustomize (%s) rendered no %s", tc.name, want)
			}
		}
		if tc.name == "with S3" {
			checkS3Rendered(t, objs)
		}
	}
}

func checkS3Rendered(t *testing.T, objs []object) {
	t.Helper()
	lw := leakwatch(t)
	s3Secret := template(t, "components", "s3", "s3-secret.template.yaml")
	for _, o := range objs {
		if o.Kind != "Deployment" && o.Kind != "Job" {
			continue
		}
		c := o.Spec.Template.Spec.Containers[0]
		lw.check(t, invocation{where: "deploy/k8s with components/s3: " + o.Kind, args: c.Args})
		if o.Kind != "Deployment" {
			continue
		}
		if !strings.HasPrefix(flagValue(c.Args, "--har-store"), "s3://") {
			t.Errorf("with components/s3 the worker has no --har-store s3://…: %v", c.Args)
		}
		if len(c.EnvFrom) != 1 || c.EnvFrom[0].SecretRef == nil || c.EnvFrom[0].SecretRef.Name != s3Secret.Metadata.Name {
			t.Errorf("with components/s3 the worker does not read the Secret %s", s3Secret.Metadata.Name)
		}
	}
}

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(ee.Stderr)
	}
	return ""
}
