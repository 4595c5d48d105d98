package crawl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/lab"
)

const schemaPath = "../../docs/steps.schema.json"

// exampleSteps are every steps file of the repository, and the lab's.
func exampleSteps(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{"lab Steps()": mustLab(t)}
	err := filepath.WalkDir("../..", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != "../.." || d.Name() == "fuzz") {
			return filepath.SkipDir
		}
		name := strings.ToLower(d.Name())
		inSteps := filepath.Base(filepath.Dir(p)) == "steps"
		if !d.IsDir() && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) &&
			(strings.Contains(name, "steps") || inSteps) {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[p] = data
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustLab(t *testing.T) []byte {
	t.Helper()
	site, err := lab.Start(context.Background(), lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	return site.Steps()
}

// Every example steps file is valid by the JSON Schema and parses; the
// schema knows exactly the actions the parser knows.
func TestStepsSchema(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("steps.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("steps.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var shape struct {
		Defs struct {
			Step struct {
				Properties map[string]any `json:"properties"`
			} `json:"step"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &shape); err != nil {
		t.Fatal(err)
	}
	var inSchema []string
	for k := range shape.Defs.Step.Properties {
		inSchema = append(inSchema, k)
	}
	sort.Strings(inSchema)
	want := append([]string(nil), crawl.Actions...)
	sort.Strings(want)
	if strings.Join(inSchema, ",") != strings.Join(want, ",") {
		t.Errorf("schema actions %v, parser actions %v", inSchema, want)
	}
	examples := exampleSteps(t)
	if len(examples) < 3 {
		t.Fatalf("found %d example steps files", len(examples))
	}
	for name, data := range examples {
		if _, err := crawl.ParseSteps(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := sch.Validate(jsonValue(v)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, bad := range []string{"- clik: a", "- goto: /relative", "- wait: soon", "- {click: a, type: b}",
		"- press: Hyper", "- type: {selector: a}", "- click: {selector: a, optional: maybe}"} {
		var v any
		_ = yaml.Unmarshal([]byte(bad), &v)
		if sch.Validate(jsonValue(v)) == nil {
			t.Errorf("schema accepts %q", bad)
		}
	}
}

// jsonValue turns a YAML value into what encoding/json would give.
func jsonValue(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return v
	}
	return out
}
