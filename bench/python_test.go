package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/har/hargen"
)

// python returns the path of python3, or skips (fails under CI=true, which
// installs it) when there is none.
func python(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal("python3 is missing: the research method's Python implementation cannot run")
		}
		tb.Skip("python3 is missing: skipping the research method's Python implementation")
	}
	return p
}

// pythonLeaks runs bench/reference/reference.py, the research method in
// plain Python, over the file at path, and returns its leaks and the
// time it took, interpreter start included (a few tens of milliseconds).
func pythonLeaks(tb testing.TB, path string) (found, time.Duration) {
	tb.Helper()
	py := python(tb)
	persona, err := json.Marshal(hargen.DensePersona())
	if err != nil {
		tb.Fatal(err)
	}
	pf := filepath.Join(filepath.Dir(path), "persona.json")
	if err := os.WriteFile(pf, persona, 0o600); err != nil {
		tb.Fatal(err)
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(py, filepath.Join("reference", "reference.py"), pf, path)
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Run(); err != nil {
		tb.Fatalf("reference.py: %v\n%s", err, errb.String())
	}
	d := time.Since(start)
	var leaks [][4]any
	if err := json.Unmarshal(out.Bytes(), &leaks); err != nil {
		tb.Fatalf("reference.py output: %v", err)
	}
	got := found{}
	for _, l := range leaks {
		idx, _ := l[0].(float64)
		where, _ := l[1].(string)
		key, _ := l[2].(string)
		chain, _ := l[3].(string)
		got[pair{int(idx), key}] = where + " " + chain
	}
	return got, d
}

// TestPythonReference: the Python port of the research method finds what
// the Go one finds on the recall file, no more and no less (it is the same
// method, so either may serve as the yardstick), and leakwatch finds all of
// it.
func TestPythonReference(t *testing.T) {
	t.Parallel()
	python(t)
	n := 600
	if testing.Short() {
		n = 200
	}
	path, _ := denseFile(t, t.TempDir(), n, 8)
	goRef, _ := referenceLeaks(t, path)
	pyRef, pyTime := pythonLeaks(t, path)
	t.Logf("%d requests: Go reference %d leaks, Python reference %d in %v", n, len(goRef), len(pyRef), pyTime)
	if len(goRef) == 0 {
		t.Fatal("the Go reference found nothing: the file has no plants")
	}
	for p, where := range goRef {
		if _, ok := pyRef[p]; !ok {
			t.Errorf("the Python reference misses request %d %s (%s)", p.req, p.key, where)
		}
	}
	for p, where := range pyRef {
		if _, ok := goRef[p]; !ok {
			t.Errorf("the Python reference finds request %d %s (%s), the Go reference does not", p.req, p.key, where)
		}
	}
	lw, _, _ := leakwatchLeaks(t, classifier(t), path)
	if m := missing(pyRef, lw); len(m) > 0 {
		t.Errorf("leakwatch misses %d of the Python reference's leaks:\n%s", len(m), strings.Join(m, "\n"))
	}
}
