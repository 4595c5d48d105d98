package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// The code before the speed-up, kept as oracles for the fuzz targets that
// hold the faster code to the same answers (speed_fuzz_test.go).

func oldSyncText(r *traffic.Request, pageURL string, extra []string) string {
	s := r.URL
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 4*maxURLKept {
		s = s[:4*maxURLKept]
	}
	remove := oldRemoveForms(append([]string{pageURL, r.Headers.Get("Referer"), r.Headers.Get("User-Agent")}, extra...))
	s = oldRemoveAll(s, remove)
	for i := 0; i < 2; i++ {
		if d, err := url.QueryUnescape(s); err == nil {
			s = d
		}
	}
	s = oldRemoveAll(s, remove)
	if len(s) > maxURLKept {
		s = s[:maxURLKept]
	}
	return s
}

func oldRemoveForms(values []string) []string {
	var forms []string
	for _, v := range values {
		if len(v) >= minIDLen {
			forms = append(forms, v, url.QueryEscape(v), url.PathEscape(v))
		}
	}
	return forms
}

func oldRemoveAll(s string, forms []string) string {
	for _, form := range forms {
		s = strings.ReplaceAll(s, form, " ")
	}
	return s
}

func (a *Analyzer) oldEmbeddedDocs(rawURL string) []string {
	_, q, ok := strings.Cut(rawURL, "?")
	if !ok || a.docs.len() == 0 {
		return nil
	}
	if len(q) > 4*maxURLKept {
		q = q[:4*maxURLKept]
	}
	var out []string
	for _, kv := range strings.Split(q, "&") {
		_, v, _ := strings.Cut(kv, "=")
		if len(v) < minIDLen {
			continue
		}
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
		if a.docs.has(v) {
			out = append(out, v)
		}
	}
	return out
}

// oldBeaconNames are the parameter names recordBeacon took: the first 20
// of queryParams.
func oldBeaconNames(u *url.URL) []string {
	var out []string
	for i, q := range queryParams(u) {
		if i == 20 {
			break
		}
		out = append(out, q.Name)
	}
	return out
}
