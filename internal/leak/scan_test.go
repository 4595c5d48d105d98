package leak

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

// spellings of a digest on the wire and the transforms they add.
var spellings = []struct {
	name string
	f    func([]byte) (string, []string)
}{
	{"hex", func(d []byte) (string, []string) { return hex.EncodeToString(d), nil }},
	{"HEX", func(d []byte) (string, []string) {
		return strings.ToUpper(hex.EncodeToString(d)), []string{"uppercase"}
	}},
	{"base64", func(d []byte) (string, []string) {
		s := base64.StdEncoding.EncodeToString(d)
		if len(d)%3 == 0 && !strings.ContainsAny(s, "+/") {
			return s, []string{"base64"}
		}
		if len(d)%3 == 0 {
			return s, []string{"base64"}
		}
		return s, []string{"base64"}
	}},
	{"base64url", func(d []byte) (string, []string) {
		s := base64.RawURLEncoding.EncodeToString(d)
		if len(d)%3 == 0 && !strings.ContainsAny(s, "-_") {
			return s, []string{"base64"} // indistinguishable from padded base64
		}
		return s, []string{"base64url"}
	}},
}

// TestHashEncodingChannelMatrix plants every hash of the email in every
// spelling in every channel, and checks that the same requests carrying
// another person's value produce nothing.
func TestHashEncodingChannelMatrix(t *testing.T) {
	t.Parallel()
	for _, h := range hashes {
		for _, sp := range spellings {
			for _, cc := range channelCases {
				t.Run(h.name+"/"+sp.name+"/"+cc.name, func(t *testing.T) {
					t.Parallel()
					tok, pre := sp.f(h.sum([]byte("alice.smith@example.com")))
					res := alicePool.Scan(cc.build(tok), ScanOptions{})
					want := append(append(pre, h.name), "lowercase")
					expectMatch(t, res, "email", cc.channel, cc.location, want)
					other, _ := sp.f(h.sum([]byte("bob.jones@example.org")))
					if res := alicePool.Scan(cc.build(other), ScanOptions{}); len(res.Matches) > 0 {
						t.Fatalf("absent value matched:%s", describe(res))
					}
				})
			}
		}
	}
}

// TestPlainAndEncodedChannelMatrix plants the value itself and simple
// encodings of it in every channel.
func TestPlainAndEncodedChannelMatrix(t *testing.T) {
	t.Parallel()
	b64 := base64.StdEncoding.EncodeToString
	cases := []struct {
		name, tok, other string
		enc              []string
	}{
		{"plain", "Alice.Smith@Example.com", "Bob.Jones@Example.org", nil},
		{"lowercase", "alice.smith@example.com", "bob.jones@example.org", []string{"lowercase"}},
		{"base64", b64([]byte("alice.smith@example.com")), b64([]byte("bob.jones@example.org")), []string{"base64", "lowercase"}},
		{"url-encoded", "alice.smith%40example.com", "bob.jones%40example.org", []string{"url", "lowercase"}},
		{"hex", hex.EncodeToString([]byte("alice.smith@example.com")), hex.EncodeToString([]byte("bob.jones@example.org")), []string{"hex", "lowercase"}},
		{"html", "alice.smith&#64;example.com", "bob.jones&#64;example.org", []string{"html", "lowercase"}},
	}
	for _, c := range cases {
		for _, cc := range channelCases {
			if c.name == "html" && cc.channel == ChannelCookie {
				continue // ';' ends a cookie: an entity cannot travel raw in one
			}
			t.Run(c.name+"/"+cc.name, func(t *testing.T) {
				t.Parallel()
				res := alicePool.Scan(cc.build(c.tok), ScanOptions{})
				expectMatch(t, res, "email", cc.channel, cc.location, c.enc)
				if res := alicePool.Scan(cc.build(c.other), ScanOptions{}); len(res.Matches) > 0 {
					t.Fatalf("absent value matched:%s", describe(res))
				}
			})
		}
	}
}
