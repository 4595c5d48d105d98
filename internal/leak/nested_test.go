package leak

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// lz-string 1.5.0 output for
// {"$email":"alice.smith@example.com","props":{"city":"Menlo Park"}}
// and for the same shape with bob.jones@example.org / Boston.
const (
	lzAliceB64   = "N4IgJApgtghglgGxALhDBcDGEB0BnKOAFwAsABCADxigAcFdMB7KEAGhFoCcna8VQmYgE8UIALIQAdgiYACAAowuAaxABfdUA==="
	lzAliceURI   = "N4IgJApgtghglgGxALhDBcDGEB0BnKOAFwAsABCADxigAcFdMB7KEAGhFoCcna8VQmYgE8UIALIQAdgiYACAAowuAaxABfdUA"
	lzAliceUTF16 = "ᯡࠩŬ஀䌤堦戡㡣̀ㆤπ᧪ᰠ尠堠Ⴀެ⠠㡋匡癰䀦䉍¼价䕰䳤Ŝ⡠˨‣塂〠†冥怺戠៽⠠ "
	lzBobB64     = "N4IgJApgtghglgGxALhAIwPZoHQCsMB2EAzgAIQAeMUADghNhgE4DmIANCDUxjcSqADGcAC4BPFCABCGYiMIgAvoqA=="
	lzBobUTF16   = "ᯡࠩŬ஀䌤堦戡㡠ᆡ皈ຠ⬬ϐ䁓䀡Р㲂䀣䄩墀ৠ㦨⃴挻䓊8朠נᏥРႦㄱ䉀Ɲઠ "
)

func gzipB64(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

func b64url(d []byte) string { return base64.RawURLEncoding.EncodeToString(d) }

func sum(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

// TestNestedAndVendorCases covers encodings stacked on encodings and the
// wire forms of real vendors.
func TestNestedAndVendorCases(t *testing.T) {
	t.Parallel()
	b64 := base64.StdEncoding.EncodeToString
	cases := []struct {
		name           string
		req, absent    *traffic.Request
		field, ch, loc string
		enc            []string
	}{
		{"base64 of url-encoded",
			get("https://t.example/p?d=" + b64([]byte("alice.smith%40example.com"))),
			get("https://t.example/p?d=" + b64([]byte("bob.jones%40example.org"))),
			"email", ChannelQuery, "d", []string{"base64", "url", "lowercase"}},
		{"base64 of a form",
			get("https://t.example/p?data=" + q(b64([]byte("e=ce&m=alice.smith%40example.com")))),
			get("https://t.example/p?data=" + q(b64([]byte("e=ce&m=bob.jones%40example.org")))),
			"email", ChannelQuery, "data > m", []string{"base64", "lowercase"}},
		{"url-encoded hash in base64",
			get("https://t.example/p?h=" + q(q(b64(slashy("alice.smith@example.com").sum([]byte("alice.smith@example.com")))))),
			get("https://t.example/p?h=" + q(q(b64(slashy("alice.smith@example.com").sum([]byte("bob.jones@example.org")))))),
			"email", ChannelQuery, "h", []string{"url", "base64", slashy("alice.smith@example.com").name, "lowercase"}},
		{"url-encoded sha256 hex",
			get("https://t.example/p?h=" + q("%"+hexSHA("alice.smith@example.com"))),
			get("https://t.example/p?h=" + q("%"+hexSHA("bob.jones@example.org"))),
			"email", ChannelQuery, "h", []string{"sha256", "lowercase"}},
		{"base64 with a raw plus in a query",
			get("https://t.example/p?h=" + plusy("alice.smith@example.com")),
			get("https://t.example/p?h=" + plusy("bob.jones@example.org")),
			"email", ChannelQuery, "h", []string{"base64", "sha1", "lowercase"}},
		{"linkedin wa: sha256 in gzip in base64",
			post("application/json", []byte(gzipB64(`{"pids":[1],"hem":"`+hexSHA("alice.smith@example.com")+`","url":"https://s.example/"}`))),
			post("application/json", []byte(gzipB64(`{"pids":[1],"hem":"`+hexSHA("bob.jones@example.org")+`","url":"https://s.example/"}`))),
			"email", ChannelBody, "hem", []string{"base64", "gzip", "sha256", "lowercase"}},
		{"lz-string base64 json",
			post("text/plain", []byte("data="+q(lzAliceB64))), post("text/plain", []byte("data="+q(lzBobB64))),
			"email", ChannelBody, "data > $email", []string{"lz-string", "lowercase"}},
		{"lz-string uri json city",
			get("https://t.example/e?c=" + lzAliceURI), get("https://t.example/e?c=" + lzBobB64[:len(lzBobB64)-2]),
			"city", ChannelQuery, "c > props.city", []string{"lz-string"}},
		{"lz-string utf16 json",
			post("application/json", []byte(`{"data":"`+lzAliceUTF16+`"}`)), post("application/json", []byte(`{"data":"`+lzBobUTF16+`"}`)),
			"email", ChannelBody, "data > $email", []string{"lz-string", "lowercase"}},
		{"json escaped in text",
			post("text/plain", []byte(`note: user=alice.smith\u0040example.com;`)), post("text/plain", []byte(`note: user=bob.jones\u0040example.org;`)),
			"email", ChannelBody, "", []string{"json-escape", "lowercase"}},
		{"meta ud[ct]",
			get("https://www.facebook.com/tr/?id=1&ev=PageView&ud[ct]=" + hexSHA("menlopark")),
			get("https://www.facebook.com/tr/?id=1&ev=PageView&ud[ct]=" + hexSHA("boston")),
			"city", ChannelQuery, "ud[ct]", []string{"sha256", "meta-normalize"}},
		{"meta ud[st] from full state name",
			get("https://www.facebook.com/tr/?id=1&ud[st]=" + hexSHA("ca")), get("https://www.facebook.com/tr/?id=1&ud[st]=" + hexSHA("ma")),
			"state", ChannelQuery, "ud[st]", []string{"sha256", "meta-normalize"}},
		{"meta ud[zp] cut at dash",
			get("https://www.facebook.com/tr/?ud[zp]=" + hexSHA("94577")), get("https://www.facebook.com/tr/?ud[zp]=" + hexSHA("02134")),
			"zip", ChannelQuery, "ud[zp]", []string{"sha256", "meta-normalize"}},
		{"meta ud[db]",
			get("https://www.facebook.com/tr/?ud[db]=" + hexSHA("19900517")), get("https://www.facebook.com/tr/?ud[db]=" + hexSHA("19800101")),
			"date_of_birth", ChannelQuery, "ud[db]", []string{"sha256", "meta-normalize"}},
		{"meta ud[ph]",
			get("https://www.facebook.com/tr/?ud[ph]=" + hexSHA("14155550134")), get("https://www.facebook.com/tr/?ud[ph]=" + hexSHA("14155550199")),
			"phone", ChannelQuery, "ud[ph]", []string{"sha256", "digits"}},
		{"tracking number in page url",
			get("https://www.google-analytics.com/g/collect?v=2&dl=" + q("https://usps.example/track?tLabels=9400111899223197428490")),
			get("https://www.google-analytics.com/g/collect?v=2&dl=" + q("https://usps.example/track?tLabels=9400111899223197428476")),
			"tracking_numbers", ChannelQuery, "dl > tLabels", []string{"no-spaces"}},
		{"custom value in title",
			get("https://t.example/p?dt=" + q("Member MBR-20931177 | Account")), get("https://t.example/p?dt=" + q("Member MBR-20931178 | Account")),
			"custom.member_id", ChannelQuery, "dt", nil},
		{"address in clicked text",
			post("application/json", []byte(`{"signalType":"CLICK","domAttributes":{"innerText":"Ship to 1600 Amphitheatre Parkway, Menlo Park"}}`)),
			post("application/json", []byte(`{"signalType":"CLICK","domAttributes":{"innerText":"Ship to 1 Main Street, Boston"}}`)),
			"street", ChannelBody, "domAttributes.innerText", nil},
		{"snowplow ue_px base64url",
			get("https://sp.example/i?e=ue&ue_px=" + b64url([]byte(`{"schema":"x","data":{"data":{"elementId":"email","value":"alice.smith@example.com"}}}`))),
			get("https://sp.example/i?e=ue&ue_px=" + b64url([]byte(`{"schema":"x","data":{"data":{"elementId":"email","value":"bob.jones@example.org"}}}`))),
			"email", ChannelQuery, "ue_px > data.data.value", []string{"base64url", "lowercase"}},
		{"zip+4 whole",
			get("https://t.example/p?z=94577-1234"), get("https://t.example/p?z=94578-1234"),
			"zip", ChannelQuery, "z", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			expectMatch(t, alicePool.Scan(c.req, ScanOptions{}), c.field, c.ch, c.loc, c.enc)
			if res := alicePool.Scan(c.absent, ScanOptions{}); len(res.Matches) > 0 {
				t.Fatalf("absent value matched:%s", describe(res))
			}
		})
	}
}

// slashy returns the first hash whose base64 of v contains '+' or '/',
// which URL-encoding then changes.
func slashy(v string) struct {
	name string
	sum  func([]byte) []byte
} {
	for _, h := range hashes {
		if bytes.ContainsAny([]byte(base64.StdEncoding.EncodeToString(h.sum([]byte(v)))), "+/") {
			return h
		}
	}
	panic("no hash spells with + or /")
}

// plusy is base64 of sha1(v) left unescaped in a query: for alice's
// email it contains a '+', which a form decoder turns into a space.
func plusy(v string) string {
	return base64.StdEncoding.EncodeToString(hashes[1].sum([]byte(v)))
}

// TestHashOfHash: sha256 of the md5 hex of the email, as some tags send.
func TestHashOfHash(t *testing.T) {
	t.Parallel()
	md5hex := hex.EncodeToString(hashes[0].sum([]byte("alice.smith@example.com")))
	res := alicePool.Scan(get("https://t.example/p?h="+hexSHA(md5hex)), ScanOptions{})
	expectMatch(t, res, "email", ChannelQuery, "h", []string{"sha256", "md5", "lowercase"})
	other := hex.EncodeToString(hashes[0].sum([]byte("bob.jones@example.org")))
	if res := alicePool.Scan(get("https://t.example/p?h="+hexSHA(other)), ScanOptions{}); len(res.Matches) > 0 {
		t.Fatalf("absent value matched:%s", describe(res))
	}
}
