package redact

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// globalTokens is what harvestTokens found when it ran each expression
// over the whole text.
func globalTokens(s string) secretSet {
	ss := secretSet{}
	for _, m := range jwtRE.FindAllString(s, -1) {
		ss.add(m, minHarvested)
	}
	for _, m := range bearerRE.FindAllStringSubmatch(s, -1) {
		ss.add(m[3], minHarvested)
	}
	for _, m := range userinfoRE.FindAllStringSubmatch(s, -1) {
		ss.add(m[2], minPassword)
	}
	return ss
}

// anchoredSame checks the hand scans against the expressions they stand
// for on one text.
func anchoredSame(t *testing.T, s string) {
	t.Helper()
	if got, want := formFieldLocs(s), formFieldRE.FindAllStringSubmatchIndex(s, -1); !reflect.DeepEqual(got, want) {
		t.Fatalf("form fields of %q: %v, want %v", s, got, want)
	}
	for _, f := range []struct {
		scan fieldScan
		re   *regexp.Regexp
	}{{jsonFieldScan, jsonFieldRE}, {escapedJSONFieldScan, escapedJSONFieldRE}} {
		if got, want := f.scan.locs(s), f.re.FindAllStringSubmatchIndex(s, -1); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s of %q: %v, want %v", f.re, s, got, want)
		}
	}
	if !hasMultipart(s) && multipartNameRE.MatchString(s) {
		t.Fatalf("multipart of %q: the prefilter misses a match", s)
	}
	want := false
	for _, p := range fieldAnchors {
		want = want || strings.Contains(strings.ToLower(s), p)
	}
	if got := containsAnyFold(s, fieldAnchors); got != want {
		t.Fatalf("anchors in %q: %v, want %v", s, got, want)
	}
	got := secretSet{}
	got.harvestTokens(s)
	if want := globalTokens(s); !reflect.DeepEqual(got, want) {
		t.Fatalf("tokens of %q: %v, want %v", s, got, want)
	}
}

// TestAnchoredScans: the hand scans find what the expressions find, on
// texts built from the characters that matter to them.
func TestAnchoredScans(t *testing.T) {
	t.Parallel()
	pieces := []string{"=", "&", "?", ";", "#", "\"", " ", "\t", "a", "K", "9", "_", "-", ".", "/", ":", "@", "+", "%20",
		"eyJ", "eyJhbGciOi", "Bearer", "bearer", "://", "https", "token", "é", "\xff", strings.Repeat("k", 130),
		`\"`, `\\`, `\`, `"pw"`, `"k": `, ` : `, "-", "12", "\n", `\"pw\":\"`, "Content-Disposition: form-data; name=\"pw\"\r\n\r\n",
		"TOKEN", "PaSs", "\xe2\x84", "\xc4", "ey", "Ƙ"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		anchoredSame(t, b.String())
	}
	for _, s := range []string{"a://b://c:d@e", "x_https://u:pw@h", "https://u:secret1@h/p", "Authorization: Bearer abcdefgh12345",
		"a=b=c&d=e", strings.Repeat("k", 128) + "=v", strings.Repeat("k", 129) + "=v", strings.Repeat("é", 128) + "=v",
		"t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig&u=eyJabcdef.eyJabcdef.",
		`x"` + strings.Repeat(`\😀`, 128) + `" :  "v"`, `x"` + strings.Repeat(`\😀`, 129) + `":-1`, `"a"` + strings.Repeat(`\"😀`, 128) + `\"  :\"v\"`,
		`"a":"b\"c":1,"pass":"x"`, `{"k": "v", "pw" : 12, "n":-x, "m":"open`} {
		anchoredSame(t, s)
	}
}

func FuzzAnchoredScans(f *testing.F) {
	f.Add("a=b&token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x bearer abcdefghij https://u:pw@h")
	f.Fuzz(func(t *testing.T, s string) { anchoredSame(t, s) })
}

// TestContainsAnyFoldChunked: a long text lowercased a megabyte at a time
// answers as the whole text lowercased, with the part at every chunk
// edge, spelled with a Kelvin sign, or after bytes that are not UTF-8.
func TestContainsAnyFoldChunked(t *testing.T) {
	t.Parallel()
	fill := strings.Repeat("x\x80\xe2\x84", 1<<18) // 1 MB, invalid UTF-8
	for _, part := range []string{"token", "TO\u212aEN", "ToKeN"} {
		for off := -40; off <= 40; off += 8 {
			s := (fill + fill)[:len(fill)+off] + part + fill
			want := strings.Contains(strings.ToLower(s), "token")
			if got := containsAnyFold(s, []string{"token"}); got != want {
				t.Fatalf("%q at %d: %v, want %v", part, len(fill)+off, got, want)
			}
		}
	}
	for _, s := range []string{"pİn", "İ pass", "\u212aey=", "KEY=", "\xc4\xb0 \xe2\x84\xaa", "p\xc4ss", "to\u212aen"} {
		want := false
		for _, p := range fieldAnchors {
			want = want || strings.Contains(strings.ToLower(s), p)
		}
		if got := containsAnyFold(s, fieldAnchors); got != want {
			t.Errorf("anchors in %q: %v, want %v", s, got, want)
		}
	}
	if containsAnyFold(fill+fill+fill, secretFieldParts) {
		t.Error("found a part in filler")
	}
}

// TestFoldParts: the lists containsAnyFold is given are lowercase ASCII
// and shorter than its chunks' overlap.
func TestFoldParts(t *testing.T) {
	t.Parallel()
	for _, list := range [][]string{sessionCookieParts, credentialHeaderParts, secretFieldParts, fieldAnchors} {
		for _, p := range list {
			if p == "" || len(p) >= 64 || strings.ToLower(p) != p || strings.ContainsFunc(p, func(r rune) bool { return r >= 0x80 }) {
				t.Errorf("part %q", p)
			}
		}
	}
}

// TestFieldKeys: the keys the scans read first start their expressions.
func TestFieldKeys(t *testing.T) {
	t.Parallel()
	if !strings.HasPrefix(jsonFieldRE.String(), jsonKey) || !strings.HasPrefix(escapedJSONFieldRE.String(), escapedJSONKey) {
		t.Fatal("a key is not its expression's start")
	}
}

// TestFieldScanLinear: keys ending at one quote before a value that never
// closes cost one read of the value, not one a key (120 reads of 2 MB
// would take seconds).
func TestFieldScanLinear(t *testing.T) {
	s := `"` + strings.Repeat(`a\"`, 120) + `":"` + strings.Repeat("x", 2<<20)
	start := time.Now()
	if locs := jsonFieldScan.locs(s); locs != nil {
		t.Errorf("locs %v", locs)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}
