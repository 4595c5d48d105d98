package party

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadEntitiesFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		names []string
		// domains of the first entity
		domains []string
		company string
	}{
		{"radar-facebook.json", []string{"Facebook"},
			[]string{"*.facebook.com", "*.facebook.net", "*.fbcdn.net", "*.instagram.com", "*.whatsapp.net", "*.oculus.com"}, "Facebook"},
		{"disconnect-wrapped.json", []string{"Example Ads", "Shop Group"},
			[]string{"*.exampleads.test", "*.exads-cdn.test"}, "Example Ads"},
		{"disconnect-flat.json", []string{"33Across", "Tracker Two"},
			[]string{"*.33across.com", "*.tynt.com"}, "33Across"},
		{"tpw-array.json", []string{"Pixel Co"},
			[]string{"*.pixelco.test", "collect.pixel-edge.test"}, "Pixel Holdings"},
	}
	for _, tt := range tests {
		f, err := os.Open(filepath.Join("testdata", "entities", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		ents, err := LoadEntities(f, tt.file)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		var names []string
		for _, e := range ents {
			names = append(names, e.Name)
		}
		if !slices.Equal(names, tt.names) {
			t.Errorf("%s: names %q, want %q", tt.file, names, tt.names)
		}
		if !slices.Equal(ents[0].Domains, tt.domains) || ents[0].Company != tt.company {
			t.Errorf("%s: first entity %q company %q, want %q %q", tt.file, ents[0].Domains, ents[0].Company, tt.domains, tt.company)
		}
	}
}

func TestLoadEntitiesNormalizes(t *testing.T) {
	t.Parallel()
	ents, err := LoadEntities(strings.NewReader("\ufeff"+`{"Tracker Two": {"resources": ["WWW.T2-Assets.test.", "t2pixel.test", "t2pixel.test"]}}`), "bom.json")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"*.www.t2-assets.test", "*.t2pixel.test"}; !slices.Equal(ents[0].Domains, want) {
		t.Errorf("domains %q, want %q", ents[0].Domains, want)
	}
}

func TestLoadEntitiesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"empty", "", "empty file"},
		{"not JSON", "hello", "not a JSON object or array"},
		{"truncated", `{"name": "X", "properties": ["a.test"`, "not valid JSON"},
		{"number", "42", "not a JSON object or array"},
		{"radar wrong type", `{"name": "X", "properties": "a.test"}`, "unknown format"},
		{"radar domain type", `{"name": "X", "properties": [1]}`, "tracker radar entity"},
		{"radar no name", `{"properties": ["a.test"]}`, "no \"name\""},
		{"radar bad domain", `{"name": "X", "properties": ["a test.com"]}`, `domain "a test.com" is not a host name`},
		{"radar url as domain", `{"name": "X", "properties": ["https://a.test/"]}`, "is not a host name"},
		{"disconnect not object", `{"A": ["a.test"]}`, `"A" is not an entity object`},
		{"disconnect wrong field", `{"entities": {"A": {"properties": "a.test"}}}`, `entity "A"`},
		{"disconnect no domains", `{"entities": {"A": {}}}`, `entity "A": no "properties"`},
		{"disconnect empty", `{"entities": {}}`, "no entities"},
		{"license only", `{"license": "x"}`, "no entities"},
		{"tpw no name", `[{"domains": ["a.test"]}]`, "entity 0: no \"name\""},
		{"tpw bad domain", `[{"name": "A", "domains": ["*."]}]`, `domain "*." is not a host name`},
		{"tpw wrong type", `[{"name": 5}]`, "third-party-web entities array"},
		{"empty label", `{"name": "X", "properties": ["a..test"]}`, "is not a host name"},
	}
	for _, tt := range tests {
		_, err := LoadEntities(strings.NewReader(tt.in), "bad.json")
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: error %q, want it to name bad.json and say %q", tt.name, err, tt.want)
		}
	}
}

func TestEntityFilesMerge(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "entities")
	c := newTestClassifier(t, Options{EntityFiles: []string{
		filepath.Join(dir, "radar-facebook.json"),
		filepath.Join(dir, "disconnect-wrapped.json"),
		filepath.Join(dir, "tpw-array.json"),
	}})
	// The Radar "Facebook" entity merges into the embedded one by name and
	// takes instagram.com over from the embedded "Instagram".
	if e := c.Entity("www.instagram.com"); e == nil || e.Name != "Facebook" {
		t.Errorf("instagram.com after merge: %+v, want Facebook", e)
	}
	if e := c.Entity("www.facebook.com"); e == nil || e.Homepage != "https://www.facebook.com" {
		t.Errorf("merged Facebook lost its embedded homepage: %+v", e)
	}
	if e := c.Entity("cdninstagram.com"); e == nil || e.Name != "Instagram" {
		t.Errorf("cdninstagram.com, not in the Radar file, should stay Instagram: %+v", e)
	}
	if e := c.Entity("whatsapp.net"); e == nil || e.Company != "Meta" {
		t.Errorf("whatsapp.net: %+v, want Facebook", e)
	}
	if !c.SameCompany("shop-one.test", "www.shop-two.test") || !c.SameCompany("shop-one.test", "img.shop-static.test") {
		t.Errorf("Disconnect properties and resources of one entity are not one company")
	}
	p := c.Classify("https://www.shop-one.test/", "https://cdn.shop-static.test/app.js", "script")
	if p.ThirdParty || p.Company != "Shop Group" {
		t.Errorf("Classify within Shop Group: %+v", p)
	}
	p = c.Classify("https://www.shop-one.test/", "https://collect.pixel-edge.test/p", "image")
	if !p.ThirdParty || p.Company != "Pixel Holdings" || p.Entity != "Pixel Co" || !slices.Equal(p.Categories, []string{"analytics"}) {
		t.Errorf("Classify third-party-web array entity: %+v", p)
	}
	// The embedded index used by other classifiers is untouched.
	plain := newTestClassifier(t, Options{})
	if e := plain.Entity("www.instagram.com"); e == nil || e.Name != "Instagram" {
		t.Errorf("user entity files leaked into the embedded data: %+v", e)
	}
	if e := plain.Entity("facebook.com"); slices.Contains(e.Domains, "*.instagram.com") {
		t.Errorf("embedded Facebook gained user domains: %q", e.Domains)
	}
}

func TestEntityFilesDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, n := range []string{"radar-facebook.json", "radar-acme.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "entities", n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := newTestClassifier(t, Options{EntityFiles: []string{dir}})
	if !c.SameCompany("acme-analytics.test", "x.acmecdn.test") {
		t.Error("entities directory: acme domains not one company")
	}
	if e := c.Entity("oculus.com"); e == nil || e.Company != "Meta" {
		t.Errorf("entities directory: oculus.com %+v", e)
	}
}

func TestEntityFilesErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(bad, []byte(`{"name": "X", "properties": ["no spaces allowed.test "x]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	tests := []struct{ path, want string }{
		{filepath.Join(dir, "missing.json"), "missing.json"},
		{bad, "broken.json: not valid JSON"},
		{empty, "no *.json files"},
	}
	for _, tt := range tests {
		_, err := NewClassifier(context.Background(), Options{EntityFiles: []string{tt.path}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("EntityFiles %s: error %v, want %q", tt.path, err, tt.want)
		}
	}
}

func FuzzLoadEntities(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "entities", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{`[]`, `{}`, `{"entities": {"A": {"properties": ["a.test"]}}}`, `[{"name": "A", "domains": ["1.2.3.4", "*.x.test"]}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ents, err := LoadEntities(strings.NewReader(string(b)), "fuzz.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(ents) == 0 {
			t.Fatal("no error and no entities")
		}
		x := newIndex(map[string]string{"Instagram": "Facebook"}, len(ents))
		for _, e := range ents {
			if e.Name == "" {
				t.Fatal("entity without a name")
			}
			for _, d := range e.Domains {
				if d != strings.ToLower(d) || strings.ContainsAny(d, " /:") {
					t.Fatalf("domain %q not normalized", d)
				}
			}
			x.add(e)
		}
		for _, e := range ents {
			for _, d := range e.Domains {
				r, ok := x.lookup(strings.TrimPrefix(d, "*."))
				if ok && x.ents[r.ent].Name == "" {
					t.Fatalf("lookup(%q) found an entity without a name", d)
				}
			}
		}
	})
}
