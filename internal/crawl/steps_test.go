package crawl

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
)

func TestParseSteps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []Step
		err  string
	}{
		{"empty", "", nil, ""},
		{"all actions", `
- goto: https://shop.example/login
- type: {selector: "#email", text: "erika@example.com"}
- click: "#login"
- submit: "form#search"
- wait: 2s
- wait: {selector: "#account"}
- screenshot: account
`, []Step{
			{Action: "goto", URL: "https://shop.example/login", Line: 2},
			{Action: "type", Selector: "#email", Text: "erika@example.com", Line: 3},
			{Action: "click", Selector: "#login", Line: 4},
			{Action: "submit", Selector: "form#search", Line: 5},
			{Action: "wait", Wait: 2 * time.Second, Line: 6},
			{Action: "wait", Selector: "#account", Line: 7},
			{Action: "screenshot", Name: "account", Line: 8},
		}, ""},
		{"new actions", `
- goto: about:blank
- press: Enter
- press: {key: Tab, selector: "#q", timeout: 2s}
- select: {selector: "#plan", value: pro}
- clear: "#q"
- check: {selector: "#terms", checked: false, optional: true}
- hover: "#menu"
- scroll_to: "#far"
- wait_url: /account
- wait_url: {regex: "^https://x\\.example/a"}
- expect: Welcome
- expect: {selector: "#name"}
- set_cookie: {name: sid, value: v, url: "https://x.example/"}
- type: {selector: q, text: abc, delay: 20ms}
`, []Step{
			{Action: "goto", URL: "about:blank", Line: 2},
			{Action: "press", Key: "Enter", Line: 3},
			{Action: "press", Key: "Tab", Selector: "#q", Timeout: 2 * time.Second, Line: 4},
			{Action: "select", Selector: "#plan", Value: "pro", Line: 5},
			{Action: "clear", Selector: "#q", Line: 6},
			{Action: "check", Selector: "#terms", Optional: true, Line: 7},
			{Action: "hover", Selector: "#menu", Line: 8},
			{Action: "scroll_to", Selector: "#far", Line: 9},
			{Action: "wait_url", URL: "/account", Line: 10},
			{Action: "wait_url", URLPattern: regexp.MustCompile(`^https://x\.example/a`), Line: 11},
			{Action: "expect", Text: "Welcome", Line: 12},
			{Action: "expect", Selector: "#name", Line: 13},
			{Action: "set_cookie", CookieName: "sid", Value: "v", CookieDomain: "x.example", CookieSecure: true, Line: 14},
			{Action: "type", Selector: "q", Text: "abc", Delay: 20 * time.Millisecond, Line: 15},
		}, ""},
		{"unknown key", "- press: Hyper", nil, `unknown key "Hyper"`},
		{"expect both", "- expect: {text: a, selector: b}", nil, "one of them"},
		{"wait_url bad regex", "- wait_url: {regex: '('}", nil, "regex"},
		{"optional not bool", "- click: {selector: a, optional: maybe}", nil, "not true or false"},
		{"timeout too long", "- click: {selector: a, timeout: 1h}", nil, "outside"},
		{"goto about:srcdoc", "- goto: 'about:srcdoc'", nil, "absolute http or https"},
		{"type keeps spaces in text", `- type: {selector: q, text: "  two words "}`,
			[]Step{{Action: "type", Selector: "q", Text: "  two words ", Line: 1}}, ""},
		{"not a list", "goto: https://x.example/", nil, "must be a YAML list"},
		{"unknown action", "- clik: '#a'", nil, `step 1 (line 1): unknown action "clik"`},
		{"two actions in one step", "- {goto: 'https://a.example/', click: '#b'}", nil, "one action"},
		{"relative URL", "- goto: /login", nil, "absolute http or https"},
		{"javascript URL", "- goto: 'javascript:alert(1)'", nil, "absolute http or https"},
		{"bad duration", "- wait: soon", nil, "not a duration"},
		{"negative duration", "- wait: -1s", nil, "outside"},
		{"huge duration", "- wait: 100h", nil, "outside"},
		{"type without text", "- type: {selector: '#a'}", nil, "text is required"},
		{"type unknown key", "- type: {selector: '#a', txt: b}", nil, `unknown key "txt"`},
		{"empty click", "- click: ''", nil, "non-empty"},
		{"click list", "- click: [a, b]", nil, "non-empty text"},
		{"bad yaml", "- goto: [", nil, "parse steps"},
		{"second document", "- click: a\n---\n- click: b\n", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSteps([]byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if tt.name == "second document" {
				return // only must not panic
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestLoadStepsNamesFile(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "steps.yaml")
	if err := os.WriteFile(p, []byte("- bogus: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadSteps(p)
	if err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("error = %v, want it to name %s", err, p)
	}
	if _, err := LoadSteps(p + ".missing"); err == nil {
		t.Error("missing file: no error")
	}
}

func FuzzParseSteps(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/steps/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("- wait: {selector: '#a'}\n- type: {selector: b, text: c}"))
	f.Add([]byte("- goto: about:blank\n- press: {key: Enter, optional: true}\n- wait_url: {regex: 'a+'}\n- expect: x\n- set_cookie: {name: a, value: b, domain: c}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		steps, err := ParseSteps(data)
		if err != nil {
			return
		}
		for _, s := range steps {
			switch s.Action {
			case "goto":
				if s.URL != "about:blank" && checkURL(s.URL) != nil {
					t.Fatalf("accepted bad URL %q", s.URL)
				}
			case "click", "submit", "type", "select", "clear", "check", "hover", "scroll_to":
				if s.Selector == "" {
					t.Fatalf("accepted %s without selector", s.Action)
				}
			case "wait":
				if s.Selector == "" && (s.Wait <= 0 || s.Wait > maxWait) {
					t.Fatalf("accepted wait %s", s.Wait)
				}
			case "press":
				if !browser.ValidKey(s.Key) {
					t.Fatalf("accepted key %q", s.Key)
				}
			case "wait_url":
				if (s.URL == "") == (s.URLPattern == nil) {
					t.Fatalf("accepted wait_url without exactly one of url and regex")
				}
			case "expect":
				if (s.Text == "") == (s.Selector == "") {
					t.Fatalf("accepted expect without exactly one of text and selector")
				}
			case "set_cookie":
				if s.CookieName == "" {
					t.Fatalf("accepted a cookie without a name")
				}
			case "screenshot":
			default:
				t.Fatalf("accepted action %q", s.Action)
			}
		}
	})
}
