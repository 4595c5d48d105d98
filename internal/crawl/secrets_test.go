package crawl_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/crawl"
)

func TestTypedSecrets(t *testing.T) {
	t.Parallel()
	steps, err := crawl.ParseSteps([]byte(`
- type: {selector: "#email", text: "user@example.com"}
- type: {selector: "input[name=pwd]", text: "byselector1"}
- type: {selector: "#k", text: "marked12", secret: true}
- type: {selector: "#code", text: "notsecret", secret: false}
- type: {selector: "#Secret-Answer", text: "fluffy"}
- type: {selector: "#footprint", text: "size 42"}
- click: "#password"
`))
	if err != nil {
		t.Fatal(err)
	}
	got := crawl.TypedSecrets(steps)
	if want := []string{"byselector1", "marked12", "fluffy"}; !slices.Equal(got, want) {
		t.Errorf("TypedSecrets = %q, want %q", got, want)
	}
	if _, err := crawl.ParseSteps([]byte(`- type: {selector: "#k", text: "x", secret: maybe}`)); err == nil {
		t.Error("secret: maybe was accepted")
	}
}

// TestRunTypedIntoSecretField: text typed into a field the page makes a
// password field (by type, set by script; by autocomplete) is reported
// secret though its selector says nothing.
func TestRunTypedIntoSecretField(t *testing.T) {
	t.Parallel()
	steps, err := crawl.ParseSteps([]byte(`
- goto: ` + site("/secret.html") + `
- type: {selector: "#k", text: "typed-pw-1"}
- type: {selector: "#c", text: "424242"}
- type: {selector: "#n", text: "just-a-nick"}
- type: {selector: "#m", text: "marked-memo", secret: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []string
	run(t, crawl.Options{Steps: steps, OnSecret: func(s string) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, s)
	}})
	if want := []string{"typed-pw-1", "424242", "marked-memo"}; !slices.Equal(got, want) {
		t.Errorf("secrets = %q, want %q", got, want)
	}
}

func TestFormValues(t *testing.T) {
	t.Parallel()
	got := crawl.FormValues([]crawl.PersonaField{{"email", "a@b.com"}, {"first_name", "Erika"}, {"last_name", "M"},
		{"tracking_numbers", "T1"}, {"tracking_numbers", "T2"}, {"custom.member", "77"}, {"zip", " "}})
	want := map[string]string{"email": "a@b.com", "given-name": "Erika", "family-name": "M", "name": "Erika M",
		"search": "T1", "member": "77"}
	if len(got) != len(want) {
		t.Fatalf("FormValues = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("FormValues[%q] = %q, want %q", k, got[k], v)
		}
	}
	d := crawl.DefaultPersona()
	if len(d) == 0 || d[0] != (crawl.PersonaField{Field: "email", Value: crawl.DefaultFormValues()["email"]}) {
		t.Errorf("DefaultPersona = %v", d)
	}
}
