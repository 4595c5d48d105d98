package leak

import (
	"strings"
	"testing"
)

// TestPatterns proves each rule both ways: valid values found, near
// misses (bad check digits, invalid ranges, wrong shapes) silent.
func TestPatterns(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text  string
		rule  string // "" means no pattern may be found
		value string
	}{
		{"contact=jane.doe%40example.com", "email", "jane.doe@example.com"},
		{"img=logo@2x.png", "", ""},
		{"ver=pkg@1.2.3", "", ""},
		{"p=(415) 555-0134", "phone", "(415) 555-0134"},
		{"p=415-555-0134", "phone", "415-555-0134"},
		{"note=" + strings.Repeat("lorem ipsum ", 400) + "call 415-555-0134 now", "phone", "415-555-0134"},
		{"n=9999415-555-01345", "", ""},
		{"p=%2B14155550134", "phone", "+14155550134"},
		{"ts=1700000000123", "", ""},
		{"p=015-555-0134", "", ""},
		{"a=1600 Amphitheatre Parkway, Mountain View, CA 94043", "us-address", "1600 Amphitheatre Parkway, Mountain View, CA 94043"},
		{"a=Amphitheatre Parkway 94043", "", ""},
		{"t=9400111899223197428497", "usps-impb", "9400111899223197428497"},
		{"t=9400 1118 9922 3197 4284 97", "usps-impb", "9400111899223197428497"},
		{"t=420945779400111899223197428497", "usps-impb", "420945779400111899223197428497"},
		{"t=9400111899223197428490", "", ""},
		{"t=EC123456785US", "upu-s10", "EC123456785US"},
		{"t=EC123456784US", "", ""},
		{"t=1Z999AA10123456784", "ups", "1Z999AA10123456784"},
		{"t=1Z999AA10123456785", "", ""},
		{"tracking=986578788855", "fedex", "986578788855"},
		{"t=" + q("FedEx 986578788855"), "fedex", "986578788855"},
		{"tracking=986578788856", "", ""},
		{"r=986578788855", "", ""},
		{"gtin12=850006000128", "", ""},
		{"cc=4111 1111 1111 1111", "payment-card", "4111111111111111"},
		{"cc=5555555555554444", "payment-card", "5555555555554444"},
		{"cc=378282246310005", "payment-card", "378282246310005"},
		{"cc=4111111111111112", "", ""},
		{"id=9111111111111111", "", ""},
		{"ssn=078-05-1120", "us-ssn", "078-05-1120"},
		{"ssn=666-05-1120", "", ""},
		{"id=1078-05-1120", "", ""},
		{"id=078-05-11201", "", ""},
		{"uuid=5-078-05-1120", "", ""},
		{"x078-05-1120y", "us-ssn", "078-05-1120"},
		{"ssn=900-05-1120", "", ""},
		{"ssn=078-00-1120", "", ""},
		{"d=2024-01-15", "", ""},
	}
	p, _ := NewPool(nil)
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			t.Parallel()
			res := p.Scan(get("https://t.example/p?"+c.text), ScanOptions{Patterns: true})
			if c.rule == "" {
				if len(res.Patterns) > 0 {
					t.Fatalf("false positive: %+v", res.Patterns)
				}
				return
			}
			for _, m := range res.Patterns {
				if m.Rule == c.rule && m.Value == c.value && m.Channel == ChannelQuery {
					return
				}
			}
			t.Fatalf("no %s %q in %+v", c.rule, c.value, res.Patterns)
		})
	}
}

// TestPatternsOff: without ScanOptions.Patterns nothing is reported.
func TestPatternsOff(t *testing.T) {
	t.Parallel()
	p, _ := NewPool(nil)
	if res := p.Scan(get("https://t.example/p?e=jane%40example.com&t=EC123456785US"), ScanOptions{}); len(res.Patterns) != 0 {
		t.Fatalf("patterns reported while off: %+v", res.Patterns)
	}
}

// TestPatternInEncodedBody: patterns are found under decoding layers and
// name them.
func TestPatternInEncodedBody(t *testing.T) {
	t.Parallel()
	p, _ := NewPool(nil)
	res := p.Scan(post("application/json", []byte(gzipB64(`{"user":{"mail":"jane@example.com"}}`))), ScanOptions{Patterns: true})
	if len(res.Patterns) != 1 || res.Patterns[0].Location != "user.mail" || len(res.Patterns[0].Encoding) != 2 {
		t.Fatalf("got %+v", res.Patterns)
	}
}
