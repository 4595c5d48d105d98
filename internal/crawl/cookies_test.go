package crawl

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func TestParseCookiesFormatsAgree(t *testing.T) {
	t.Parallel()
	want := []traffic.Cookie{
		{Name: "session", Value: "s3cr3t", Domain: ".parcel.example", Path: "/", Secure: true,
			Expires: time.Unix(1893456000, 0).UTC()},
		{Name: "auth", Value: "tok=en", Domain: "parcel.example", Path: "/account", HTTPOnly: true},
	}
	for _, file := range []string{"cookies.txt", "cookies.json"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			got, err := LoadCookies(filepath.Join("testdata", "cookies", file))
			if err != nil {
				t.Fatal(err)
			}
			if file == "cookies.json" {
				// JSON carries SameSite, cookies.txt cannot.
				want := append([]traffic.Cookie(nil), want...)
				want[0].SameSite, want[1].SameSite = "None", "Lax"
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got  %+v\nwant %+v", got, want)
				}
				return
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestParseCookiesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, err string }{
		{"six fields", "a.example\tTRUE\t/\tFALSE\t0\tname", "want 7 tab-separated fields"},
		{"bad expiry", "a.example\tTRUE\t/\tFALSE\tsoon\tn\tv", `expiry "soon"`},
		{"expiry in ms", "a.example\tTRUE\t/\tFALSE\t1893456000000\tn\tv", "not a Unix time"},
		{"no name", "a.example\tTRUE\t/\tFALSE\t0\t\tv", "name is empty"},
		{"no domain json", `[{"name":"a","value":"b"}]`, "has no domain"},
		{"bad json", `[{"name":`, "parse JSON cookies"},
		{"bad samesite", `[{"name":"a","domain":"x.example","sameSite":"sometimes"}]`, "sameSite"},
		{"semicolon value", `[{"name":"a","value":"b;c","domain":"x.example"}]`, "forbidden"},
		{"storage state", `{"cookies":[{"name":"a","value":"b","domain":"x.example"}]}`, ""},
		{"comments only", "# Netscape HTTP Cookie File\n\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseCookies([]byte(tt.in))
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error = %v, want %q", err, tt.err)
			}
		})
	}
}

func FuzzParseCookies(f *testing.F) {
	for _, name := range []string{"cookies.txt", "cookies.json"} {
		if data, err := os.ReadFile(filepath.Join("testdata", "cookies", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"cookies":[{"name":"a","value":"b","domain":"x.example","expires":-1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseCookies(data)
		if err != nil {
			return
		}
		for _, c := range cs {
			if check(c) != nil {
				t.Fatalf("accepted invalid cookie %+v", c)
			}
		}
	})
}
