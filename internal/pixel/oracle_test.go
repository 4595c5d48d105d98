package pixel

import (
	"math"
	"net/url"
	"sort"
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

func oldShannon(s string) float64 {
	if len(s) == 0 {
		return 0
	}
	var counts [256]int32
	var seen [256]byte // the distinct bytes, in order of first sight
	distinct := 0
	for i := 0; i < len(s); i++ {
		if counts[s[i]] == 0 {
			seen[distinct] = s[i]
			distinct++
		}
		counts[s[i]]++
	}
	sum, n := 0.0, float64(len(s))
	for _, b := range seen[:distinct] {
		if c := int(counts[b]); c < len(cLog2c) {
			sum += cLog2c[c]
		} else {
			sum += float64(c) * math.Log2(float64(c))
		}
	}
	return max(0, math.Log2(n)-sum/n)
}

func oldIdentifierLike(v string) bool {
	if len(v) < minIDLen || isTimestamp(v) || strings.Contains(v, "://") ||
		strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") || strings.Contains(v, " ") {
		return false
	}
	for _, w := range []string{"true", "false", "yes", "no", "null", "undefined"} {
		if strings.EqualFold(v, w) {
			return false
		}
	}
	h := oldShannon(v)
	return h >= minIDBitsPerChar && h*float64(len(v)) >= minIDBits
}

func oldTokens(s string) []span {
	var out []span
	start := -1
	for i := 0; i <= len(s); i++ {
		alnum := i < len(s) && isAlnum(s[i])
		if alnum && start < 0 {
			start = i
		}
		if !alnum && start >= 0 {
			out = append(out, span{start, i})
			start = -1
		}
	}
	return out
}

func oldSyncCandidates(v string) []string {
	toks := oldTokens(v)
	group := oldUuidGroups(v, toks)
	keys := oldKeyTokens(v, toks)
	var out []string
	seen := map[string]bool{}
	for _, n := range runOrder {
		for i := 0; i+n <= len(toks) && len(out) < maxCandsPerValue; i++ {
			j := i + n - 1
			if splitsUUID(group, i, j) || !oldRunJoined(v, toks[i:j+1]) || keys[i] || keys[j] {
				continue
			}
			s := v[toks[i].start:toks[j].end]
			if seen[s] || oldWeakEdge(v, toks, group, i, j, nil) || !oldQualifies(s) {
				continue
			}
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

func oldWeakEdge(v string, toks []span, group []int, i, j int, known *strTable) bool {
	weak := func(k int) bool {
		if group[k] >= 0 {
			return false
		}
		t := v[toks[k].start:toks[k].end]
		if noiseToken(t) {
			return true
		}
		return known.has(strings.ToLower(t))
	}
	lo, hi := i, j
	for lo < hi && weak(lo) {
		lo++
	}
	for hi > lo && weak(hi) {
		hi--
	}
	if lo == i && hi == j {
		return false
	}
	return oldQualifies(v[toks[lo].start:toks[hi].end])
}

func oldQualifies(s string) bool {
	if len(s) < minIDLen || len(s) > maxCandidateLen || oldClassBits(s) <= minSyncBits ||
		oldShannon(s) < minCandidateBitsPerChar {
		return false
	}
	if isTimestampLike(s) || isDateNumber(s) || isDateTime(s) || oldUuidFragment(s) {
		return false
	}
	return oldHasStrongToken(s, nil)
}

func oldHasStrongToken(s string, known *strTable) bool {
	stamps := 0
	for _, t := range oldTokens(s) {
		tok := s[t.start:t.end]
		if noiseToken(tok) {
			continue
		}
		if isTimestamp(tok) {
			stamps++
			continue
		}
		if known != nil && known.has(strings.ToLower(tok)) {
			continue
		}
		return true
	}
	return stamps >= 2
}

func oldUuidFragment(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 2 || len(parts) > 4 {
		return false
	}
	layout := [5]int{8, 4, 4, 4, 12}
	for first := range layout {
		if first+len(parts) > len(layout) {
			break
		}
		ok := true
		for k, p := range parts {
			if len(p) != layout[first+k] || !isHex(p) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func oldUuidGroups(s string, toks []span) []int {
	group := make([]int, len(toks))
	for i := range group {
		group[i] = -1
	}
	for i := 0; i < len(toks); i++ {
		if uuidAt(s, toks, i) {
			for k := 0; k < 5; k++ {
				group[i+k] = i
			}
			i += 4
		}
	}
	return group
}

func oldKeyTokens(v string, toks []span) []bool {
	keys := make([]bool, len(toks))
	structured := strings.ContainsAny(v, fieldSeparators)
	k, start := 0, 0
	for start <= len(v) {
		end := strings.IndexAny(v[start:], fieldSeparators)
		if end < 0 {
			end = len(v)
		} else {
			end += start
		}
		field := v[start:end]
		cut := strings.IndexByte(field, '=')
		if c := strings.IndexByte(field, ':'); structured && c >= 0 && (cut < 0 || c < cut) {
			cut = c
		}
		for ; k < len(toks) && toks[k].start < end; k++ {
			keys[k] = cut >= 0 && toks[k].end <= start+cut
		}
		start = end + 1
	}
	return keys
}

func oldRunJoined(v string, toks []span) bool {
	for k := 1; k < len(toks); k++ {
		if !runSeparatorOK(v[toks[k-1].end:toks[k].start]) {
			return false
		}
	}
	return true
}

func oldClassBits(s string) float64 {
	var digit, lower, upper, other bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		default:
			other = true
		}
	}
	size := 0
	for _, x := range []struct {
		on bool
		n  int
	}{{digit, 10}, {lower, 26}, {upper, 26}, {other, 33}} {
		if x.on {
			size += x.n
		}
	}
	if size < 2 {
		return 0
	}
	return float64(len(s)) * math.Log2(float64(size))
}

func oldHost(u *url.URL) string {
	return strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
}
