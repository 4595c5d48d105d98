package hargen

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
)

// adHost is an ad-tech receiver; sub is its host with a %d shard number.
type adHost struct{ sub string }

var adHosts = []adHost{
	{"securepubads.g.doubleclick.net"}, {"pagead%d.googlesyndication.com"}, {"ib.adnxs.com"},
	{"pixel.rubiconproject.com"}, {"image%d.pubmatic.com"}, {"sslwidget.criteo.com"},
	{"trc.taboola.com"}, {"idsync.rlcdn.com"}, {"x.bidswitch.net"}, {"dsum-sec.casalemedia.com"},
	{"us-u.openx.net"}, {"eb%d.3lift.com"}, {"sync.outbrain.com"}, {"ups.analytics.yahoo.com"},
	{"match.adsrvr.org"}, {"cm.g.doubleclick.net"}, {"pixel.tapad.com"}, {"ssum-sec.casalemedia.com"},
	{"token.rubiconproject.com"}, {"bh.contextweb.com"}, {"sync.teads.tv"}, {"dpm.demdex.net"},
	{"px.ads.linkedin.com"}, {"www.facebook.com"}, {"ct.pinterest.com"}, {"bat.bing.com"},
}

var adPaths = []string{"/p", "/pixel", "/sync", "/usersync", "/getuid", "/ibs:dpid=411", "/i.gif",
	"/tr/", "/gampad/ads", "/openrtb2/auction", "/track/imp", "/v3/", "/action/0", "/collect"}

var paramNames = []string{"uid", "cb", "gdpr", "us_privacy", "pid", "sid", "cid", "rnd", "ts", "bid",
	"imp", "crid", "adid", "pv", "slot", "url", "ref", "seg", "tuid", "xid"}

// plantParams are the names a persona value travels under.
var plantParams = []string{"em", "e", "ud[em]", "hashed_email", "uid2", "email", "pd", "ph", "fn", "ln", "tn", "user_data"}

var cookieNames = []string{"_ga", "IDE", "uuid2", "tuuid", "KRTBCOOKIE_", "receive-cookie-deprecation", "_fbp",
	"criteo_", "A3", "xid", "pxrc", "audit", "TapAd_TS", "demdex", "dpm", "ab_"}

// plantEncoding is one way a persona value goes on the wire.
type plantEncoding struct {
	name   string
	encode func(key, v string) string
}

// plantEncodings are the encodings Leaky Forms counted most often, plus the
// LinkedIn-style base64 of gzip of JSON. Adding one is adding an entry.
var plantEncodings = []plantEncoding{
	{"plain", func(_, v string) string { return v }},
	{"normalized", func(k, v string) string { return normalize(k, v) }},
	{"md5", func(k, v string) string { s := md5.Sum([]byte(normalize(k, v))); return hex.EncodeToString(s[:]) }},
	{"sha1", func(k, v string) string { s := sha1.Sum([]byte(normalize(k, v))); return hex.EncodeToString(s[:]) }},
	{"sha256", func(k, v string) string { return sha256Hex(normalize(k, v)) }},
	{"sha512", func(k, v string) string { s := sha512.Sum512([]byte(normalize(k, v))); return hex.EncodeToString(s[:]) }},
	{"base64", func(_, v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) }},
	{"base64url(normalized)", func(k, v string) string { return base64.RawURLEncoding.EncodeToString([]byte(normalize(k, v))) }},
	{"hex", func(_, v string) string { return hex.EncodeToString([]byte(v)) }},
	{"base64(sha256)", func(k, v string) string { return base64.StdEncoding.EncodeToString([]byte(sha256Hex(normalize(k, v)))) }},
	{"url", func(_, v string) string { return url.QueryEscape(v) }},
	{"base64(gzip(json))", func(k, v string) string { return gzipJSONBase64(k, v) }},
}

// normalize is the form trackers hash: a trimmed, lowercased email or name,
// a phone number's digits (with its country code).
func normalize(key, v string) string {
	switch key {
	case "phone":
		return digits(v)
	case "tracking_numbers":
		return strings.TrimSpace(v)
	}
	return strings.ToLower(strings.TrimSpace(v))
}

func gzipJSONBase64(key, v string) string {
	payload, _ := json.Marshal(map[string]string{"k": key, "v": v})
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(payload)
	zw.Close()
	return base64.StdEncoding.EncodeToString(z.Bytes())
}
