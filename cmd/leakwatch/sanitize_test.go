package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// termPayload drives a terminal every way captured text could: window
// title (OSC 0), clipboard (OSC 52), link (OSC 8), screen clear, DCS, C1
// CSI, CR, NUL, DEL, bidi override and isolate, and a fake line.
const termPayload = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b]8;;http://evil/\x1b\\x\x1b]8;;\x1b\\" +
	"\x1b[2J\x1bP1$qm\x1b\\\u009b31m\u0085\r\x00\x7f\u202egnp.exe\u2066\u200f" + "\nOK: all 9 files match"

var colourSeq = regexp.MustCompile("\x1b\\[[0-9;]*m")

// checkInert fails when out holds a raw control (newline and tab aside), a
// C1 control, a bidi control or a byte that is not UTF-8, or when the
// payload's newline started a line of its own.
func checkInert(t *testing.T, name, out string) {
	t.Helper()
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRuneInString(out[i:])
		bad := (r == utf8.RuneError && n == 1) || (r < 0x20 && r != '\n' && r != '\t') ||
			(r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
			r == 0x200e || r == 0x200f || r == 0x061c || r == 0x2028 || r == 0x2029
		if bad {
			t.Fatalf("%s: raw %q at byte %d: %q", name, out[i:i+n], i, out[max(0, i-40):min(len(out), i+40)])
		}
		i += n
	}
	if strings.Contains(out, "\nOK: all 9 files match") {
		t.Errorf("%s: a captured newline drew a line of its own", name)
	}
}

// hostileHAR has the payload in the page's URL, title and error, in a
// request's URL, header value, cookie name and a response header.
func hostileHAR(t *testing.T) string {
	t.Helper()
	p := termPayload
	page := map[string]any{"id": "page_1", "title": "T" + p, "_url": "https://shop.example/" + p, "_error": "net::ERR" + p,
		"startedDateTime": "2024-01-01T00:00:00Z", "pageTimings": map[string]any{}}
	req := map[string]any{"method": "GET", "url": "https://www.facebook.com/tr?id=123456789&ev=PageView&dl=https%3A%2F%2Fshop.example%2F&x=" + p,
		"httpVersion": "HTTP/1.1", "headers": []any{map[string]any{"name": "Referer", "value": "https://shop.example/" + p}},
		"cookies": []any{map[string]any{"name": "c" + p, "value": "v" + p}}, "queryString": []any{}, "headersSize": -1, "bodySize": 0}
	resp := map[string]any{"status": 200, "statusText": "OK" + p, "httpVersion": "HTTP/1.1",
		"headers": []any{map[string]any{"name": "X-Evil", "value": p}}, "cookies": []any{},
		"content": map[string]any{"size": 0, "mimeType": "text/html"}, "redirectURL": "", "headersSize": -1, "bodySize": 0}
	entry := map[string]any{"pageref": "page_1", "startedDateTime": "2024-01-01T00:00:01Z", "time": 1,
		"request": req, "response": resp, "cache": map[string]any{}, "timings": map[string]any{"send": 0, "wait": 1, "receive": 0}}
	har := map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]any{"name": "x" + p, "version": "1"},
		"pages": []any{page}, "entries": []any{entry, "not an entry" + p}}}
	b, err := json.Marshal(har)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hostile.har")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWarnHostileCapture(t *testing.T) {
	t.Parallel()
	path := hostileHAR(t)
	for _, f := range []string{"text", "markdown", "csv"} {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			_, out, errOut := runCmd(t, "", "analyze", "-f", f, path)
			checkInert(t, f+" stderr", errOut)
			checkInert(t, f+" stdout", colourSeq.ReplaceAllString(out, ""))
			if f == "text" && !strings.Contains(errOut, `\x1b]0;pwned`) {
				t.Errorf("the page error is not shown escaped on stderr:\n%s", errOut)
			}
		})
	}
}

// poisonStrings appends the payload to every settable string in v.
func poisonStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(v.String() + termPayload)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			poisonStrings(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			poisonStrings(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			poisonStrings(v.Index(i))
		}
	}
}

func TestDiffHostileReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, out, _ := runCmd(t, "", "analyze", "-f", "json", sharedHAR(t, "health-shop-mylabbox.har"))
	var r audit.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	old := filepath.Join(dir, "old.json")
	if err := os.WriteFile(old, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	schema := r.Schema
	poisonStrings(reflect.ValueOf(&r).Elem())
	r.Schema = schema
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	cur := filepath.Join(dir, "new.json")
	if err := os.WriteFile(cur, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", "diff", old, cur)
	if code != 0 {
		t.Fatalf("diff exit %d: %s", code, errOut)
	}
	checkInert(t, "diff stdout", out)
	checkInert(t, "diff stderr", errOut)
	if !strings.Contains(out, `\x1b]0;pwned`) {
		t.Errorf("diff shows no escaped payload:\n%s", out)
	}
}

func TestVerifyHostileBundle(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "case.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	m := map[string]any{"schema": "leakwatch/evidence/v1", "tool": "leakwatch" + termPayload, "version": "1" + termPayload,
		"command": []string{"analyze" + termPayload}, "created": "2024-01-01T00:00:00.000000001Z",
		"files": []any{map[string]any{"name": "a.har", "size": 1, "sha256": strings.Repeat("0", 64)}}}
	b, _ := json.Marshal(m)
	for name, body := range map[string][]byte{"manifest.json": b, "extra" + termPayload: []byte("x")} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, errOut := runCmd(t, "", "verify", path)
	if code == 0 {
		t.Errorf("a forged bundle verified:\n%s", out)
	}
	checkInert(t, "verify stdout", out)
	checkInert(t, "verify stderr", errOut)
	if !strings.Contains(out, `\x1b]0;pwned`) {
		t.Errorf("verify shows no escaped payload:\n%s", out)
	}
}
