package party

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// browserTSV lists the browsers' own background requests; see its header.
//
//go:embed data/browser.tsv
var browserTSV string

// browserRule is one line of data/browser.tsv.
type browserRule struct {
	path    string // path prefix; "/" matches every path
	key     string // query parameter name, "" for no condition
	value   string // its value; prefix when prefix is set
	prefix  bool
	browser string
	purpose string
}

// browserRules indexes the table by the kind of host pattern.
type browserRules struct {
	exact  map[string][]browserRule // host → rules
	wild   map[string][]browserRule // "*.d": d → rules
	labels []labelRule              // "w*.*": first label starts with w
}

type labelRule struct {
	prefix string
	rule   browserRule
}

var (
	browserOnce  sync.Once
	browserTable *browserRules
	browserErr   error
)

// BrowserTraffic recognises a request the browser makes for itself rather
// than for the page (Firefox's tracking-protection list updates, Chrome's
// component updater, Edge's SmartScreen, Safe Browsing, OCSP...): browser
// names who makes it ("Firefox", "Chrome", "Edge", "Safari", "Brave",
// "Chrome or Firefox", or "any" for checks every browser makes) and purpose
// what it is for. ok is false for every other request, including hosts a page
// also calls (www.google.com/complete/search is the page's suggest box unless
// its client parameter names the browser's address bar). The rules are the
// table data/browser.tsv.
func BrowserTraffic(reqURL string) (browser, purpose string, ok bool) {
	browserOnce.Do(func() { browserTable, browserErr = parseBrowserRules(browserTSV) })
	if browserErr != nil {
		return "", "", false // the embedded table is checked by the tests
	}
	host := hostOf(reqURL)
	if host == "" || isIP(host) {
		return "", "", false
	}
	path, query := pathQuery(reqURL)
	if r, ok := browserTable.match(host, path, query); ok {
		return r.browser, r.purpose, true
	}
	return "", "", false
}

// match tries the exact host, then each wildcard from the most specific
// name up, then the first-label rules.
func (t *browserRules) match(host, path, query string) (browserRule, bool) {
	if r, ok := firstMatch(t.exact[host], path, query); ok {
		return r, true
	}
	for h := host; ; {
		if r, ok := firstMatch(t.wild[h], path, query); ok {
			return r, true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	first, rest, _ := strings.Cut(host, ".")
	for _, l := range t.labels {
		tail, ok := strings.CutPrefix(first, l.prefix)
		if !ok || tail != "" && tail[0] != '-' && (tail[0] < '0' || tail[0] > '9') || !l.rule.matches(path, query) {
			continue
		}
		// "ocsp*.*" means a service host below a domain, never a site's
		// own name (ocspapp.com).
		if strings.Contains(rest, ".") && RegistrableDomain(host) != host {
			return l.rule, true
		}
	}
	return browserRule{}, false
}

func firstMatch(rules []browserRule, path, query string) (browserRule, bool) {
	for _, r := range rules {
		if r.matches(path, query) {
			return r, true
		}
	}
	return browserRule{}, false
}

func (r browserRule) matches(path, query string) bool {
	if !strings.HasPrefix(path, r.path) {
		return false
	}
	if r.key == "" {
		return true
	}
	for rest := query; rest != ""; {
		var kv string
		kv, rest, _ = strings.Cut(rest, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k == r.key && (v == r.value || r.prefix && strings.HasPrefix(v, r.value)) {
			return true
		}
	}
	return false
}

// pathQuery splits the path (at least "/") and raw query off an absolute URL.
func pathQuery(rawURL string) (path, query string) {
	s := rawURL
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	i := strings.IndexAny(s, "/?")
	if i < 0 {
		return "/", ""
	}
	s = s[i:]
	path, query, _ = strings.Cut(s, "?")
	if path == "" {
		path = "/"
	}
	return path, query
}

// parseBrowserRules reads data/browser.tsv.
func parseBrowserRules(s string) (*browserRules, error) {
	t := &browserRules{exact: map[string][]browserRule{}, wild: map[string][]browserRule{}}
	seen := make(map[string]int)
	for n, line := range strings.Split(s, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 || f[0] == "" || !strings.HasPrefix(f[1], "/") || f[2] == "" || f[3] == "" || f[4] == "" {
			return nil, fmt.Errorf("embedded browser.tsv line %d: want host<TAB>/path<TAB>query<TAB>browser<TAB>purpose", n+1)
		}
		key := strings.ToLower(strings.Join(f[:3], "\t"))
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("embedded browser.tsv line %d: same host, path and query as line %d", n+1, prev)
		}
		seen[key] = n + 1
		r := browserRule{path: f[1], browser: f[3], purpose: f[4]}
		if f[2] != "-" {
			k, v, ok := strings.Cut(f[2], "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("embedded browser.tsv line %d: query %q is not key=value", n+1, f[2])
			}
			r.key, r.value = k, v
			r.value, r.prefix = strings.CutSuffix(v, "*")
		}
		host := strings.ToLower(f[0])
		switch {
		case strings.HasSuffix(host, "*.*"):
			t.labels = append(t.labels, labelRule{prefix: strings.TrimSuffix(host, "*.*"), rule: r})
		case strings.HasPrefix(host, "*."):
			t.wild[host[2:]] = append(t.wild[host[2:]], r)
		case strings.Contains(host, "*"):
			return nil, fmt.Errorf("embedded browser.tsv line %d: host %q: '*' only as \"*.d\" or \"w*.*\"", n+1, host)
		default:
			t.exact[host] = append(t.exact[host], r)
		}
	}
	return t, nil
}
