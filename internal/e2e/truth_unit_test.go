package e2e

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// The ground truth decides what the audit must report, so its own rules
// are tested here without a browser.

func TestCarried(t *testing.T) {
	t.Parallel()
	const emailSHA = "4d06ed0bd1bed5b5a4fd5e4c4bd0a5fd2eea4e5b98bdd7b8dfaa5b5c3d9ec1ea" // not the shopper's
	tests := []struct {
		text string
		want []string
	}{
		{"Rosalind Okafor", []string{"first_name", "last_name"}},
		{"rosalind.okafor@example.net", []string{"email"}}, // names inside the email count for it only
		{"ROSALIND", []string{"first_name"}},
		{"Rosalindas", nil}, // not a whole token
		{"Springfield, OR 97477", []string{"city", "state", "zip"}},
		{"OR", []string{"state"}},
		{"state=OR&x=1", []string{"state"}},
		{"FOR THE ORDER", nil}, // a code inside words
		{"ORegon", nil},        //
		{"974771", nil},        // zip inside a longer number
		{"541-555-0187", []string{"phone"}},
		{emailSHA, nil},
		{sha256Hex(shopper.Email), []string{"email"}},
		{strings.ToUpper(sha256Hex(shopper.City)), []string{"city"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, c := range carried(tt.text, shopper) {
				got = append(got, c.Field)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("carried(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(s))))
	return hex.EncodeToString(sum[:])
}

func TestPlaces(t *testing.T) {
	t.Parallel()
	uePx := base64.RawURLEncoding.EncodeToString([]byte(`{"data":{"data":{"value":"Springfield"}}}`))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"events":[{"data":{"text":"97477"}}]}`))
	_ = zw.Close()
	packed := base64.StdEncoding.EncodeToString(gz.Bytes())
	tests := []struct {
		name string
		h    hit
		want string // "channel location layers" of the place holding a value
	}{
		{"query ue_px", hit{RawQuery: "e=ue&ue_px=" + uePx}, "query ue_px.data.data.value base64"},
		{"tp2 ue_pr", hit{Body: []byte(`{"data":[{"ue_pr":"{\"data\":{\"v\":\"Okafor\"}}"}]}`)},
			"body data.0.ue_pr.data.v "},
		{"gzip header", hit{Header: http.Header{"Content-Encoding": {"gzip"}}, Body: gz.Bytes()},
			"body events.0.data.text gzip"},
		{"base64 of gzip", hit{Body: []byte(`{"payload":"` + packed + `"}`)}, "body payload.events.0.data.text base64+gzip"},
		{"posthog data=", hit{Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body: []byte("data=" + base64.StdEncoding.EncodeToString([]byte(`{"distinct_id":"Rosalind"}`)))},
			"body data.distinct_id base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.h.Header == nil {
				tt.h.Header = http.Header{}
			}
			ps, err := places(tt.h)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range ps {
				if len(carried(p.Text, shopper)) > 0 {
					got = append(got, p.Channel+" "+p.Location+" "+strings.Join(p.Layers, "+"))
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("places = %q, want [%q]", got, tt.want)
			}
		})
	}
}

func TestSameLocationAndEncoding(t *testing.T) {
	t.Parallel()
	if !sameLocation("data[].ue_pr > data.data.elements[].value", "data.0.ue_pr.data.data.elements.5.value") {
		t.Error("snowplow tp2 location")
	}
	if sameLocation("events[].data.text", "events.1.data.node.text") {
		t.Error("different paths compared equal")
	}
	tests := []struct {
		got, want []string
		declared  bool
		ok        bool
	}{
		{[]string{"base64url", "sha256", "lowercase"}, []string{"base64", "sha256"}, false, true},
		{[]string{"base64"}, []string{"base64", "gzip"}, false, false},
		{nil, []string{"gzip"}, true, true},   // a declared Content-Encoding may go unnamed
		{nil, []string{"gzip"}, false, false}, // gzip-js must be named
		{[]string{"gzip"}, []string{"gzip"}, true, true},
	}
	for _, tt := range tests {
		if sameEncoding(tt.got, tt.want, tt.declared) != tt.ok {
			t.Errorf("sameEncoding(%v, %v, %v) != %v", tt.got, tt.want, tt.declared, tt.ok)
		}
	}
}
