package leak

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParsePersonas(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     []Persona
		err      string
	}{
		{"yaml mapping", "email: a@b.com\nzip: 94577\ntracking_numbers: [\"9400 1\", EC123456785US]\n",
			[]Persona{{Email: "a@b.com", Zip: "94577", TrackingNumbers: []string{"9400 1", "EC123456785US"}}}, ""},
		{"json mapping", `{"name":"A","phone":"+1 555 555 5555","custom":{"member":12345}}`,
			[]Persona{{Name: "A", Phone: "+1 555 555 5555", Custom: map[string]string{"member": "12345"}}}, ""},
		{"list", "- email: a@b.com\n- email: c@d.com\n", []Persona{{Email: "a@b.com"}, {Email: "c@d.com"}}, ""},
		{"personas key", "personas:\n  - city: Menlo Park\n    date_of_birth: 1990-05-17\n",
			[]Persona{{City: "Menlo Park", DateOfBirth: "1990-05-17"}}, ""},
		{"single tracking number", "tracking_numbers: 1Z999AA10123456784", []Persona{{TrackingNumbers: []string{"1Z999AA10123456784"}}}, ""},
		{"unknown key", "email: a@b.com\nmail: x\n", nil, `unknown key "mail" (valid keys: name, email, phone`},
		{"unknown key in list", "- email: a@b.com\n- emial: x\n", nil, "persona 2"},
		{"empty", "  \n", nil, "empty"},
		{"scalar", "hello", nil, "expected a persona mapping"},
		{"nested value", "email: {a: b}", nil, "key email"},
		{"bad yaml", "email: [", nil, "persona file t.yaml"},
		{"empty list", "[]", nil, "list is empty"},
		{"custom not a map", "custom: [1]", nil, "custom"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePersonas([]byte(c.in), "t.yaml")
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d personas, want %d", len(got), len(c.want))
			}
			for i := range got {
				if !personaEqual(got[i], c.want[i]) {
					t.Errorf("persona %d = %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}

func personaEqual(a, b Persona) bool {
	if !slices.Equal(a.TrackingNumbers, b.TrackingNumbers) || len(a.Custom) != len(b.Custom) {
		return false
	}
	for k, v := range a.Custom {
		if b.Custom[k] != v {
			return false
		}
	}
	av, bv := a.values(), b.values()
	return a.Name == b.Name && slices.Equal(av, bv)
}

func TestLoadPersonas(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.json")
	if err := os.WriteFile(path, []byte(`[{"email":"a@b.com"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	if ps, err := LoadPersonas(path); err != nil || len(ps) != 1 || ps[0].Email != "a@b.com" {
		t.Fatalf("LoadPersonas = %v, %v", ps, err)
	}
	if _, err := LoadPersonas(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Fatalf("missing file error %v should name the file", err)
	}
	if ps, err := LoadPersonas("testdata/persona-example.yaml"); err != nil || len(ps) != 2 {
		t.Fatalf("example file: %v, %v", ps, err)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		p    Persona
		want []string // substrings, one per warning, in order
	}{
		{alice, nil},
		{Persona{Email: "not-an-email"}, []string{"email \"not-an-email\": not an email"}},
		{Persona{Phone: "call me"}, []string{"phone \"call me\": phone number has no digits"}},
		{Persona{Phone: "123"}, []string{"has 3 digits"}},
		{Persona{DateOfBirth: "someday"}, []string{"unparseable date"}},
		{Persona{State: "Bavaria", Country: "Atlantis"}, []string{"state \"Bavaria\": not a US state", "country \"Atlantis\": country not in"}},
		{Persona{State: "on", Country: "USA"}, nil},
		{Persona{}, []string{"no values"}},
		{Persona{Email: "a@b.co", TrackingNumbers: []string{""}}, []string{"tracking_numbers: empty value"}},
		{Persona{Email: "a@b.co", Custom: map[string]string{"id": " "}}, []string{"custom.id: empty value"}},
	}
	for _, c := range cases {
		got := c.p.Validate()
		if len(got) != len(c.want) {
			t.Errorf("Validate(%+v) = %q, want %d warnings", c.p, got, len(c.want))
			continue
		}
		for i := range got {
			if !strings.Contains(got[i], c.want[i]) {
				t.Errorf("warning %q, want it to contain %q", got[i], c.want[i])
			}
		}
	}
	if _, w := NewPool([]Persona{{Email: "nope"}}); len(w) != 1 || !strings.Contains(w[0], "persona 1: email") {
		t.Errorf("NewPool warnings %q should name the persona and field", w)
	}
}

func TestLabel(t *testing.T) {
	t.Parallel()
	if got := (Persona{Name: "Tester"}).Label(3); got != "Tester" {
		t.Errorf("Label = %q", got)
	}
	if got := (Persona{}).Label(3); got != "persona 4" {
		t.Errorf("Label = %q", got)
	}
}

// TestForms checks the vendor normalizations against the documented rules.
func TestForms(t *testing.T) {
	t.Parallel()
	cases := []struct {
		field, value string
		want         map[string]string // form -> first transform of its chain ("" = as given)
	}{
		{"email", " Test.User@GMail.com ", map[string]string{"test.user@gmail.com": "lowercase", "testuser@gmail.com": "google-normalize"}},
		{"phone", "+1 (555) 555-5555", map[string]string{"15555555555": "digits", "+15555555555": "e164", "5555555555": "national", "555-555-5555": "phone-format"}},
		{"phone", "0044 20 7946 0958", map[string]string{"442079460958": "meta-normalize", "+442079460958": "e164", "00442079460958": "digits"}},
		{"city", "Menlo Park", map[string]string{"menlopark": "meta-normalize", "menlo park": "lowercase"}},
		{"state", "California", map[string]string{"ca": "meta-normalize", "CA": "state-code"}},
		{"state", "on", map[string]string{"Ontario": "state-name", "ON": "uppercase"}},
		{"zip", "94577-1234", map[string]string{"94577": "meta-normalize", "945771234": "digits"}},
		{"country", "United States", map[string]string{"us": "meta-normalize", "US": "country-code"}},
		{"country", "USA", map[string]string{"us": "meta-normalize", "United States": "country-name"}},
		{"date_of_birth", "1990-05-17", map[string]string{"19900517": "meta-normalize", "05/17/1990": "date-us", "17.05.1990": "date-eu"}},
		{"street", "1600 Amphitheatre Parkway", map[string]string{"1600 amphitheatre pkwy": "street-abbreviate", "1600amphitheatreparkway": "meta-normalize"}},
		{"tracking_numbers", "9400 1118 9922", map[string]string{"940011189922": "no-spaces"}},
		{"first_name", "Mary-Jane", map[string]string{"maryjane": "meta-normalize"}},
	}
	for _, c := range cases {
		forms := map[string]string{}
		for _, f := range formsFor(c.field, c.value) {
			first := ""
			if len(f.chain) > 0 {
				first = f.chain[0]
			}
			forms[f.s] = first
		}
		for s, chain := range c.want {
			got, ok := forms[s]
			if !ok || got != chain {
				t.Errorf("%s %q: form %q has chain %q (present %v), want %q", c.field, c.value, s, got, ok, chain)
			}
		}
	}
}

// TestKnownDigests checks the pool against hashes the docs give.
func TestKnownDigests(t *testing.T) {
	t.Parallel()
	p, _ := NewPool([]Persona{{Email: "example@example.com", Phone: "+1 555 555 5555"}})
	cases := []struct{ url, field, loc string }{
		{"https://www.google.com/pagead/1p-user-list/1/?em=tv.1~em.McVUPBc00lxyBvX9WRUl0Clb7G_oT_gvlGo0_pcKHmY", "email", "em"},
		{"https://tr.snapchat.com/p?u_hpn=" + hexSHA("15555555555"), "phone", "u_hpn"},
	}
	for _, c := range cases {
		if _, ok := findMatch(p.Scan(get(c.url), ScanOptions{}), c.field, ChannelQuery, c.loc); !ok {
			t.Errorf("%s not found in %s", c.field, c.url)
		}
	}
	if hexSHA("test@test.com") != "f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a" {
		t.Fatal("sha256 check value from pixel-protocols.md")
	}
}

func TestEmptyPool(t *testing.T) {
	t.Parallel()
	p, w := NewPool(nil)
	if len(w) != 0 || p.Size() != 0 {
		t.Fatalf("empty pool: size %d, warnings %q", p.Size(), w)
	}
	res := p.Scan(get("https://t.example/p?e=someone%40example.com"), ScanOptions{Patterns: true})
	if len(res.Matches) != 0 || len(res.Patterns) != 1 || res.Patterns[0].Rule != "email" {
		t.Fatalf("empty pool should find only the email pattern: %+v", res)
	}
	if alicePool.Size() < 1000 {
		t.Errorf("alice's pool has only %d candidates", alicePool.Size())
	}
}

// TestPersonaValues: Values lists the set fields in a fixed order (custom
// keys sorted), and PersonaFromValues builds the same persona back.
func TestPersonaValues(t *testing.T) {
	t.Parallel()
	p := Persona{Name: "n", Email: " a@b.com ", Zip: "94577", TrackingNumbers: []string{"EC123456785US"},
		Custom: map[string]string{"z": "2", "a": "1"}}
	want := []PersonaValue{{"email", "a@b.com"}, {"zip", "94577"}, {"tracking_numbers", "EC123456785US"},
		{"custom.a", "1"}, {"custom.z", "2"}}
	for range 5 { // map order must not show
		if got := p.Values(); !slices.Equal(got, want) {
			t.Fatalf("Values() = %v, want %v", got, want)
		}
	}
	back := PersonaFromValues("n", want)
	back.Email = " a@b.com "
	if back.Name != p.Name || back.Email != p.Email || back.Zip != p.Zip || !slices.Equal(back.TrackingNumbers, p.TrackingNumbers) ||
		len(back.Custom) != 2 || back.Custom["a"] != "1" {
		t.Errorf("PersonaFromValues = %+v, want %+v", back, p)
	}
}
