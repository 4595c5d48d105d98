package consent

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseGPPExamples(t *testing.T) {
	t.Parallel()
	// The GPP specification's examples and Prebid go-gpp's test vectors,
	// with the values those publish.
	cases := []struct {
		name, in string
		ids      []int
		check    func(t *testing.T, g *GPP)
	}{
		{"tcfeuv2 (padded header)", "DBABMA~" + gppSpecTC, []int{2}, func(t *testing.T, g *GPP) {
			if s, _ := g.Section(2); s.TC == nil || s.TC.CMPID != 31 {
				t.Errorf("tcfeuv2 %+v", s)
			}
		}},
		{"tcfeuv2 (short header)", "DBABM~" + gppSpecTC, []int{2}, nil},
		{"tcfeuv2 and uspv1", "DBACNY~" + gppSpecTC + "~1YNN", []int{2, 6}, func(t *testing.T, g *GPP) {
			if s, _ := g.Section(6); s.USP == nil || *s.USP != (USP{1, "Y", "N", "N"}) {
				t.Errorf("uspv1 %+v", s)
			}
		}},
		{"tcfcav1 named, not decoded", "DBABjw~" + gppSpecTC + "~1YNN", []int{5, 6}, func(t *testing.T, g *GPP) {
			if s, _ := g.Section(5); s.Name != "tcfcav1" || s.TC != nil || s.Err != "" {
				t.Errorf("tcfcav1 %+v", s)
			}
		}},
		{"usca", "DBABBgA~xlgWEYCZAA", []int{8}, func(t *testing.T, g *GPP) {
			s, _ := g.Section(8)
			wantUS(t, s.US, 49, map[string][]int{"SaleOptOutNotice": {2}, "SharingOptOutNotice": {1},
				"SensitiveDataLimitUseNotice": {1}, "SaleOptOut": {2}, "SharingOptOut": {0},
				"SensitiveDataProcessing": {0, 1, 1, 2, 0, 1, 0, 1, 2}, "KnownChildSensitiveDataConsents": {0, 0},
				"PersonalDataConsents": {0}, "MspaCoveredTransaction": {2}, "MspaOptOutOptionMode": {1}, "MspaServiceProviderMode": {2}})
		}},
		{"usva", "DBABRgA~bSFgmiU", []int{9}, func(t *testing.T, g *GPP) {
			s, _ := g.Section(9)
			wantUS(t, s.US, 27, map[string][]int{"SharingNotice": {1}, "SaleOptOutNotice": {0},
				"TargetedAdvertisingOptOutNotice": {2}, "SaleOptOut": {0}, "TargetedAdvertisingOptOut": {1},
				"SensitiveDataProcessing": {1, 2, 0, 0, 2, 1, 2, 2}, "KnownChildSensitiveDataConsents": {0},
				"MspaCoveredTransaction": {2}, "MspaOptOutOptionMode": {1}, "MspaServiceProviderMode": {1}})
			if got := s.US.OptOuts(); !reflect.DeepEqual(got, []string{"TargetedAdvertisingOptOut"}) {
				t.Errorf("opt-outs %v", got)
			}
		}},
		{"usnat with GPC", "DBABLA~DSJgmkoZJSA.YA", []int{7}, func(t *testing.T, g *GPP) {
			s, _ := g.Section(7)
			wantUS(t, s.US, 3, map[string][]int{"SharingNotice": {1}, "SharingOptOutNotice": {2}, "SaleOptOut": {2},
				"SensitiveDataProcessing": {2, 1, 2, 2, 1, 0, 2, 2, 0, 1, 2, 1}, "KnownChildSensitiveDataConsents": {0, 2},
				"PersonalDataConsents": {1}, "MspaCoveredTransaction": {1}, "MspaServiceProviderMode": {2}})
			if s.US.GPC == nil || !*s.US.GPC {
				t.Errorf("GPC %v, want true", s.US.GPC)
			}
		}},
		{"six US sections", "DBABrGA~DSJgmkoZJSA.YA~BlgWEYCY.QA~BSFgmiU~bSFgmJQ.YA~BWJYJllA~bSFgmSZQ.YA", []int{7, 8, 9, 10, 11, 12}, func(t *testing.T, g *GPP) {
			for _, s := range g.Sections {
				if s.US == nil || s.Err != "" {
					t.Errorf("section %s: %+v", s.Name, s)
				}
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g, err := ParseGPP(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if g.Version != 1 || !reflect.DeepEqual(g.SectionIDs, c.ids) {
				t.Fatalf("version %d ids %v, want 1 %v", g.Version, g.SectionIDs, c.ids)
			}
			if c.check != nil {
				c.check(t, g)
			}
		})
	}
}

// wantUS checks a US section's version and the named fields.
func wantUS(t *testing.T, s *USSection, version int, fields map[string][]int) {
	t.Helper()
	if s == nil || s.Version != version {
		t.Fatalf("section %+v, want version %d", s, version)
	}
	for name, want := range fields {
		var got []int
		for _, f := range s.Fields {
			if f.Name == name {
				got = f.Values
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

func TestParseGPPHostile(t *testing.T) {
	t.Parallel()
	// A header naming ids 1..4000 as one Fibonacci range.
	bigRange := (&bitWriter{}).put(3, 6).put(1, 6).put(1, 12).put(1, 1)
	fib(bigRange, 1)
	fib(bigRange, 3999)
	cases := []struct {
		name, in, wantErr string
	}{
		{"empty", "", "empty segment"},
		{"not a GPP header", "CPXxRfAP~1YNN", "type"},
		{"bad base64", "DB*B~1YNN", "not base64"},
		{"header cut inside a Fibonacci integer", "DBGBM~" + gppSpecTC, "string ends"},
		{"more ids than sections", "DBACNY~" + gppSpecTC, "more section ids"},
		{"fewer ids than sections", "DBABMA~" + gppSpecTC + "~1YNN", "1 section ids for 2"},
		{"range of 4000 ids", bigRange.String() + "~x", "more section ids"},
		{"Fibonacci integer without end", "DBAB" + strings.Repeat("A", 40) + "~x", "fibonacci integer over"},
		{"too many sections", "DBABMA" + strings.Repeat("~x", maxGPPSections+1), "sections"},
		{"truncated usca", "DBABBgA~xlgWE", "no layout fits"},
		{"bad USP section", "DBACNY~" + gppSpecTC + "~1YN", "not 4"},
		{"unknown subsection", "DBABLA~DSJgmkoZJSA.wA", "unknown subsection"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseGPP(c.in)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err = %v, want %q", err, c.wantErr)
			}
		})
	}
}

// fib appends n in Fibonacci coding.
func fib(w *bitWriter, n int) {
	fs := []int{1, 2}
	for fs[len(fs)-1] <= n {
		fs = append(fs, fs[len(fs)-1]+fs[len(fs)-2])
	}
	bits := make([]uint64, len(fs))
	top := 0
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i] <= n {
			n -= fs[i]
			bits[i] = 1
			top = max(top, i)
		}
	}
	for _, b := range bits[:top+1] {
		w.put(b, 1)
	}
	w.put(1, 1)
}

func TestParseUSP(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in       string
		want     USP
		optedOut bool
		applies  bool
		err      bool
	}{
		{in: "1YNN", want: USP{1, "Y", "N", "N"}, applies: true},
		{in: "1YYY", want: USP{1, "Y", "Y", "Y"}, optedOut: true, applies: true},
		{in: "1---", want: USP{1, "-", "-", "-"}},
		{in: "1yny", want: USP{1, "Y", "N", "Y"}, applies: true},
		{in: "2YNN", err: true},
		{in: "1YN", err: true},
		{in: "1YXN", err: true},
		{in: "", err: true},
	}
	for _, c := range cases {
		got, err := ParseUSP(c.in)
		if (err != nil) != c.err {
			t.Errorf("%q: err %v", c.in, err)
			continue
		}
		if !c.err && (got != c.want || got.OptedOut() != c.optedOut || got.Applies() != c.applies) {
			t.Errorf("%q: got %+v", c.in, got)
		}
	}
}
