package crawl

import (
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	values := map[string]string{"tracking": "JJD1"}
	tests := []struct {
		f    Field
		want string
	}{
		{Field{Type: "email"}, "email"},
		{Field{Type: "text", Autocomplete: "shipping postal-code"}, "postal-code"},
		{Field{Type: "text", Autocomplete: "off", Name: "zip"}, "postal-code"},
		{Field{Type: "tel"}, "tel"},
		{Field{Name: "first_name"}, "given-name"},
		{Field{Name: "lastName"}, "family-name"},
		{Field{Label: "Last name"}, "family-name"},
		{Field{Name: "name"}, "name"},
		{Field{Name: "full-name"}, "name"},
		{Field{Placeholder: "PLZ"}, "postal-code"},
		{Field{ID: "city"}, "address-level2"},
		{Field{Name: "street"}, "street-address"},
		{Field{Name: "billing_address"}, "street-address"},
		{Field{Name: "country"}, "country"},
		{Field{Name: "dob"}, "bday"},
		{Field{Type: "search", Name: "q"}, "search"},
		{Field{Name: "q"}, "search"},
		{Field{Name: "tracking_number"}, "tracking"},
		{Field{Name: "username"}, ""},
		{Field{Name: "comment"}, ""},
	}
	for _, tt := range tests {
		if got := Classify(tt.f, values); got != tt.want {
			t.Errorf("Classify(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestSameSite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://www.shop.example/", "https://shop.example/x", true},
		{"https://shop.example/", "http://help.shop.example/", true},
		{"https://shop.example/", "https://other.example/", false},
		{"https://a.shop.co.uk/", "https://b.shop.co.uk/", true},
		{"https://shop.co.uk/", "https://other.co.uk/", false},
		{"https://alice.github.io/", "https://bob.github.io/", false},
		{"https://www.city.kawasaki.jp/", "https://www.city.yokohama.jp/", false},
		{"https://a.shop.com.au/", "https://b.shop.com.au/", true},
		{"http://localhost:1/", "http://localhost:2/x", true},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:9090/x", true},
		{"http://127.0.0.1/", "http://127.0.0.2/", false},
		{"https://shop.example/", "mailto:a@shop.example", false},
		{"https://shop.example/", "javascript:void(0)", false},
	}
	for _, tt := range tests {
		if got := SameSite(tt.a, tt.b); got != tt.want {
			t.Errorf("SameSite(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		o    Options
		err  bool
	}{
		{"nothing", Options{}, true},
		{"start", Options{Start: []string{"https://a.example/"}}, false},
		{"steps only", Options{Steps: []Step{{Action: "wait", Wait: 1}, {Action: "goto", URL: "about:blank"}}}, false},
		{"steps only without goto", Options{Steps: []Step{{Action: "click", Selector: "a"}}}, true},
		{"submit without fill", Options{Start: []string{"https://a.example/"}, Submit: true}, true},
		{"relative start", Options{Start: []string{"/x"}}, true},
		{"negative depth", Options{Start: []string{"https://a.example/"}, Depth: -1}, true},
		{"too many tabs", Options{Start: []string{"https://a.example/"}, Tabs: 100}, true},
		{"negative quiet", Options{Start: []string{"https://a.example/"}, Quiet: -1}, true},
	}
	for _, tt := range tests {
		if err := tt.o.Validate(); (err != nil) != tt.err {
			t.Errorf("%s: Validate() = %v", tt.name, err)
		}
	}
	o := Options{Quiet: time.Minute, PageTimeout: time.Second}.withDefaults()
	if o.Quiet != time.Second || o.Tabs != 1 || o.MaxPages != DefaultMaxPages || o.FormValues == nil {
		t.Errorf("defaults = %+v", o)
	}
}
