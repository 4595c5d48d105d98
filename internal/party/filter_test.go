package party

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/AdguardTeam/urlfilter/rules"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

var (
	easyPrivacyOnce sync.Once
	easyPrivacyC    *Classifier
	easyPrivacyErr  error
)

// easyPrivacy returns one classifier over the shared EasyPrivacy snapshot
// and the package's own exception test list, built once per test binary.
func easyPrivacy(tb testing.TB) *Classifier {
	tb.Helper()
	list := sharedtest.Path(tb, "lists", "easyprivacy-2023-04.txt")
	easyPrivacyOnce.Do(func() {
		easyPrivacyC, easyPrivacyErr = NewClassifier(context.Background(), Options{
			FilterLists: []string{list, filepath.Join("testdata", "lists", "exceptions.txt")},
		})
	})
	if easyPrivacyErr != nil {
		tb.Fatal(easyPrivacyErr)
	}
	return easyPrivacyC
}

func TestFilterMatches(t *testing.T) {
	t.Parallel()
	c := easyPrivacy(t)
	const ep, own = "easyprivacy-2023-04.txt", "exceptions.txt"
	shop := "https://www.mylabbox.com/"
	tests := []struct {
		name, page, req, typ string
		list, rule           string // empty: not blocked
	}{
		{"meta pixel GET", shop, "https://www.facebook.com/tr?id=1&ev=PageView", "image", ep, ".facebook.com/tr?$image"},
		{"meta pixel POST", shop, "https://www.facebook.com/tr/", "xhr", ep, "||facebook.com/tr/"},
		{"meta pixel other", shop, "https://www.facebook.com/tr?id=1&ev=Purchase", "other", ep, "||facebook.com/tr?"},
		{"meta script", shop, "https://connect.facebook.net/en_US/fbevents.js", "script", ep, "/fbevents.js"},
		{"GA collect", shop, "https://www.google-analytics.com/collect?v=1&t=pageview&tid=UA-1", "image", ep, "||google-analytics.com^$third-party"},
		{"GA4 collect", shop, "https://www.google-analytics.com/g/collect?v=2&tid=G-1", "ping", ep, "||google-analytics.com^$third-party"},
		{"GA4 from unknown page", "", "https://www.google-analytics.com/g/collect?v=2", "ping", ep, "||google-analytics.com^$third-party"},
		{"GA first-party rule", "https://www.google-analytics.com/", "https://www.google-analytics.com/g/collect?v=2", "ping", ep, ".google-analytics.com/"},
		{"bing UET", shop, "https://bat.bing.com/action/0?ti=1&evt=pageLoad", "image", ep, "||bat.bing.com^"},
		{"tiktok pixel", "https://www.personalabs.com/shop/", "https://analytics.tiktok.com/api/v2/pixel", "xhr", ep, "||analytics.tiktok.com^"},
		{"list exception by domain", "https://www.westernunion.com/", "https://www.google-analytics.com/analytics.js", "script", "", ""},
		{"same URL elsewhere", shop, "https://www.google-analytics.com/analytics.js", "script", ep, "||google-analytics.com^$third-party"},
		{"first-party page", shop, shop, "document", "", ""},
		{"first-party script", shop, "https://www.mylabbox.com/cdn/shop/t/2/assets/theme.js", "script", "", ""},
		{"blocked", shop, "https://tracker.test/x.js", "script", own, "||tracker.test^"},
		{"@@ exception", shop, "https://tracker.test/allowed/x.js", "script", "", ""},
		{"$document exception", "https://trusted-site.test/", "https://tracker.test/x.js", "script", "", ""},
		{"type option matches", shop, "https://beacon.test/b", "beacon", own, "||beacon.test^$ping"},
		{"type option excludes", shop, "https://beacon.test/b", "script", "", ""},
		{"third-party option, third", shop, "https://thirdonly.test/x", "script", own, "||thirdonly.test^$third-party"},
		{"third-party option, first", "https://thirdonly.test/", "https://cdn.thirdonly.test/x", "script", "", ""},
		{"domain option matches", "https://www.news.test/", "https://img.test/lw-pixel.gif?u=1", "image", own, "/lw-pixel.gif?$image,domain=news.test"},
		{"domain option excludes", shop, "https://img.test/lw-pixel.gif?u=1", "image", "", ""},
	}
	for _, tt := range tests {
		p := c.Classify(tt.page, tt.req, tt.typ)
		switch {
		case tt.rule == "" && p.Filter != nil:
			t.Errorf("%s: %s blocked by %s %q, want not blocked", tt.name, tt.req, p.Filter.List, p.Filter.Rule)
		case tt.rule != "" && p.Filter == nil:
			t.Errorf("%s: %s not blocked, want %q", tt.name, tt.req, tt.rule)
		case tt.rule != "" && (p.Filter.Rule != tt.rule || p.Filter.List != tt.list):
			t.Errorf("%s: %s blocked by %s %q, want %s %q", tt.name, tt.req, p.Filter.List, p.Filter.Rule, tt.list, tt.rule)
		}
	}
}

func TestRequestType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want rules.RequestType
	}{
		{"document", rules.TypeDocument}, {"Document", rules.TypeDocument}, {"main_frame", rules.TypeDocument},
		{"subdocument", rules.TypeSubdocument}, {"sub_frame", rules.TypeSubdocument},
		{"script", rules.TypeScript}, {"Stylesheet", rules.TypeStylesheet}, {"image", rules.TypeImage},
		{"xhr", rules.TypeXmlhttprequest}, {"fetch", rules.TypeXmlhttprequest}, {"XMLHttpRequest", rules.TypeXmlhttprequest},
		{"ping", rules.TypePing}, {"beacon", rules.TypePing}, {"websocket", rules.TypeWebsocket},
		{"media", rules.TypeMedia}, {"font", rules.TypeFont}, {"object", rules.TypeObject},
		{"manifest", rules.TypeOther}, {"other", rules.TypeOther}, {"", rules.TypeOther}, {"nonsense", rules.TypeOther},
	}
	for _, tt := range tests {
		if got := requestType(tt.in); got != tt.want {
			t.Errorf("requestType(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFilterListErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{filepath.Join(dir, "missing.txt"), "missing.txt"},
		{dir, "is a directory"},
		{empty, "empty.txt: no Adblock Plus network rules"},
		{filepath.Join("testdata", "lists", "cosmetic-only.txt"), "cosmetic-only.txt: no Adblock Plus network rules"},
	}
	for _, tt := range tests {
		_, err := NewClassifier(context.Background(), Options{FilterLists: []string{tt.path}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("FilterLists %s: error %v, want %q", tt.path, err, tt.want)
		}
	}
}

func TestFilterListNames(t *testing.T) {
	t.Parallel()
	a := filepath.Join("testdata", "lists", "exceptions.txt")
	dir := t.TempDir()
	b := filepath.Join(dir, "exceptions.txt")
	if err := os.WriteFile(b, []byte("||other.test^\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newTestClassifier(t, Options{FilterLists: []string{a, b}})
	if p := c.Classify("https://shop.test/", "https://other.test/x", "script"); p.Filter == nil || p.Filter.List != b {
		t.Errorf("two lists named exceptions.txt: match %+v, want list named by its path %s", p.Filter, b)
	}
}

func TestNewClassifierCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewClassifier(ctx, Options{FilterLists: []string{filepath.Join("testdata", "lists", "exceptions.txt")}}); err == nil {
		t.Error("NewClassifier with a cancelled context: no error")
	}
}

func TestFilterListCRLFAndBOM(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "windows.txt")
	text := "\ufeff[Adblock Plus 2.0]\r\n! Title: CRLF list\r\n||crlf-tracker.test^\r\n@@||crlf-tracker.test/ok^\r\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newTestClassifier(t, Options{FilterLists: []string{p}})
	if m := c.Classify("https://shop.test/", "https://crlf-tracker.test/x", "script").Filter; m == nil || m.Rule != "||crlf-tracker.test^" {
		t.Errorf("CRLF list: match %+v, want rule ||crlf-tracker.test^ without a carriage return", m)
	}
	if m := c.Classify("https://shop.test/", "https://crlf-tracker.test/ok", "script").Filter; m != nil {
		t.Errorf("CRLF list: exception did not apply, matched %q", m.Rule)
	}
}

// FuzzFilterList builds an engine from arbitrary list text and matches a few
// requests against it: a user's list must never crash the classifier.
func FuzzFilterList(f *testing.F) {
	for _, p := range []string{"exceptions.txt", "cosmetic-only.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", "lists", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		"||a.test^$third-party,domain=~b.test|c.test",
		"/track[0-9]+/$script",
		"@@||a.test^$document\n||a.test^",
		"||a.test^$badfilter\n||a.test^",
		"|https://a.test/*.gif|$image,important",
		"0.0.0.0 a.test",
		"||a.test^$redirect=noopjs,removeparam=utm",
	} {
		f.Add(s)
	}
	urls := []string{"https://a.test/track1/x.gif?u=1", "https://sub.a.test/", "http://b.test/", "wss://c.test/ws"}
	f.Fuzz(func(t *testing.T, text string) {
		fs, err := buildFilterSet([]string{text}, []string{"fuzz.txt"}, []string{"fuzz.txt"})
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.txt") {
				t.Fatalf("error does not name the list: %v", err)
			}
			return
		}
		for _, u := range urls {
			for _, typ := range []string{"script", "image", "document", "websocket"} {
				if m := fs.match(u, "https://b.test/page", typ, true); m != nil && (m.List != "fuzz.txt" || m.Rule == "") {
					t.Fatalf("match %+v", m)
				}
				fs.match(u, "", typ, false)
			}
		}
	})
}
