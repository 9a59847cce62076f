// Package kubernetes holds qload's Kubernetes manifests; this test checks them against the
// Kubernetes API types (strict: an unknown or misspelt field fails) and checks what the shards
// need: an Indexed Job whose pods pass their completion index to --shard i/N, with N the
// completions, start together, write onto the shared volume, and read the secret from a file.
package kubernetes

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

func TestIndexedJob(t *testing.T) {
	data, err := os.ReadFile("job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs := bytes.Split(data, []byte("\n---\n"))
	if len(docs) != 2 {
		t.Fatalf("job.yaml: %d documents, want the volume claim and the job", len(docs))
	}
	var pvc corev1.PersistentVolumeClaim
	if err := yaml.UnmarshalStrict(docs[0], &pvc); err != nil {
		t.Fatalf("job.yaml: the volume claim: %v", err)
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict(docs[1], &job); err != nil {
		t.Fatalf("job.yaml: the job: %v", err)
	}
	if pvc.Kind != "PersistentVolumeClaim" || job.Kind != "Job" || job.APIVersion != "batch/v1" {
		t.Fatalf("kinds %s, %s %s", pvc.Kind, job.APIVersion, job.Kind)
	}
	if len(pvc.Spec.AccessModes) != 1 || pvc.Spec.AccessModes[0] != corev1.ReadWriteMany {
		t.Errorf("the run volume is shared by every pod: ReadWriteMany, not %v", pvc.Spec.AccessModes)
	}
	s := job.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
		t.Fatalf("completionMode: want Indexed")
	}
	if s.Completions == nil || s.Parallelism == nil || *s.Completions != *s.Parallelism || *s.Completions < 1 {
		t.Fatalf("completions and parallelism must be the same N (every shard runs at once)")
	}
	n := *s.Completions
	pod := s.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever || s.BackoffLimit == nil || *s.BackoffLimit != 0 {
		t.Errorf("a shard must not run twice into the same folder: restartPolicy Never, backoffLimit 0")
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Containers))
	}
	c := pod.Containers[0]
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	idx, ok := env["SHARD_INDEX"]
	if !ok || idx.ValueFrom == nil || idx.ValueFrom.FieldRef == nil ||
		idx.ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Fatalf("SHARD_INDEX must come from the pod's completion index: %+v", idx)
	}
	args := strings.Join(c.Args, " ")
	for _, want := range []string{"run ", "--shard=$(SHARD_INDEX)/" + itoa(n), "--start-at=$(START_AT)", "--out=/runs/$(RUN_ID)/shard-$(SHARD_INDEX)",
		"--secret-key-file=/secrets/queueit/", "--allow-host=$(ALLOW_HOST)", "--target=$(TARGET)"} {
		if !strings.Contains(args, want) {
			t.Errorf("args %q lack %q", args, want)
		}
	}
	for _, name := range []string{"TARGET", "ALLOW_HOST", "START_AT", "RUN_ID"} {
		if _, ok := env[name]; !ok {
			t.Errorf("env %s is missing: args refer to it", name)
		}
	}
	for name, e := range env {
		if strings.Contains(strings.ToLower(name), "secret") || strings.Contains(strings.ToLower(e.Value), "secret") {
			t.Errorf("env %s: the secret key comes from the mounted file, never the environment", name)
		}
	}
	mounts := map[string]corev1.VolumeMount{}
	for _, m := range c.VolumeMounts {
		mounts[m.Name] = m
	}
	vols := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		vols[v.Name] = v
	}
	if m, v := mounts["runs"], vols["runs"]; m.MountPath != "/runs" || v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != pvc.Name {
		t.Errorf("runs: mounted at %q from %+v; want /runs from the claim %s", m.MountPath, v.VolumeSource, pvc.Name)
	}
	if m, v := mounts["queueit-secret"], vols["queueit-secret"]; !m.ReadOnly || m.MountPath != "/secrets/queueit" || v.Secret == nil {
		t.Errorf("the secret: mount %+v, volume %+v", m, v.VolumeSource)
	}
	if c.SecurityContext == nil || c.SecurityContext.RunAsNonRoot == nil || !*c.SecurityContext.RunAsNonRoot {
		t.Errorf("the container runs as non-root")
	}
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// TestStrictCatchesMisspeltFields makes sure the check above can fail.
func TestStrictCatchesMisspeltFields(t *testing.T) {
	data, err := os.ReadFile("job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := bytes.Split(data, []byte("\n---\n"))[1]
	var job batchv1.Job
	if err := yaml.UnmarshalStrict(bytes.Replace(doc, []byte("completionMode"), []byte("completionMod"), 1), &job); err == nil {
		t.Fatal("a misspelt field passed the strict check")
	}
}
