package browser

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteCookiePref(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, existing, err string
	}{
		{"fresh profile", "", ""},
		{"keeps other settings", `{"profile":{"name":"Work","cookie_controls_mode":1},"intl":{"accept_languages":"de"}}`, ""},
		{"profile not an object", `{"profile":"odd"}`, ""},
		{"broken file", `{"profile":`, "read chromium preferences"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "Default", "Preferences")
			if tt.existing != "" {
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(tt.existing), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := writeCookiePref(p)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(p)
			var got struct {
				Profile map[string]any `json:"profile"`
				Intl    map[string]any `json:"intl"`
			}
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatal(err)
			}
			if got.Profile["cookie_controls_mode"] != 0.0 {
				t.Errorf("cookie_controls_mode = %v", got.Profile["cookie_controls_mode"])
			}
			if tt.name == "keeps other settings" && (got.Profile["name"] != "Work" || got.Intl["accept_languages"] != "de") {
				t.Errorf("settings lost: %s", data)
			}
		})
	}
}

func FuzzWriteCookiePref(f *testing.F) {
	f.Add([]byte(`{"profile":{"name":"Work"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"profile":[1,2]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "Preferences")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := writeCookiePref(p); err != nil {
			return
		}
		out, _ := os.ReadFile(p)
		var got struct {
			Profile struct {
				Mode *int `json:"cookie_controls_mode"`
			} `json:"profile"`
		}
		if err := json.Unmarshal(out, &got); err != nil || got.Profile.Mode == nil || *got.Profile.Mode != 0 {
			t.Fatalf("wrote %s (%v)", out, err)
		}
	})
}
