package pixel

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// maxShapeScan caps the body bytes read when looking for replay payloads.
const maxShapeScan = 2 << 20

// hostService names a service by host (suffix match).
type hostService struct {
	host, name string
	// replayOnly: every upload to the host is session-replay data.
	replayOnly bool
}

// replayHosts are session-replay vendors. Hosts of vendors that also do
// plain analytics (PostHog, Mixpanel, Amplitude, Yandex) count as replay
// only on their recording endpoints (see replayEndpoint).
var replayHosts = []hostService{
	{"clarity.ms", "Microsoft Clarity", true},
	{"hotjar.com", "Hotjar", true}, {"hotjar.io", "Hotjar", true},
	{"fullstory.com", "FullStory", true},
	{"lr-ingest.io", "LogRocket", true}, {"lr-ingest.com", "LogRocket", true},
	{"lr-in.com", "LogRocket", true}, {"lr-in-prod.com", "LogRocket", true},
	{"smartlook.cloud", "Smartlook", true}, {"smartlook.com", "Smartlook", true},
	{"mouseflow.com", "Mouseflow", true}, {"inspectlet.com", "Inspectlet", true},
	{"luckyorange.net", "Lucky Orange", true}, {"luckyorange.com", "Lucky Orange", true},
	{"contentsquare.net", "Contentsquare", true}, {"quantummetric.com", "Quantum Metric", true},
	{"sessioncam.com", "SessionCam", true}, {"decibelinsight.net", "Decibel", true},
	{"posthog.com", "PostHog", false}, {"mixpanel.com", "Mixpanel", false},
	{"amplitude.com", "Amplitude", false}, {"mc.yandex.ru", "Yandex Metrica", false},
}

// fingerprintHosts are device-fingerprinting and fraud/bot-detection
// services that fingerprint the browser.
var fingerprintHosts = []hostService{
	{"fpjs.io", "Fingerprint (FingerprintJS)", false}, {"fpcdn.io", "Fingerprint (FingerprintJS)", false},
	{"openfpcdn.io", "FingerprintJS (open source CDN)", false},
	{"fpjscdn.net", "Fingerprint (FingerprintJS)", false}, {"fpapi.io", "Fingerprint (FingerprintJS)", false},
	{"online-metrix.net", "ThreatMetrix (LexisNexis)", false},
	{"iesnare.com", "iovation (TransUnion)", false}, {"kaxsdc.com", "Kount", false},
	{"px-cdn.net", "HUMAN (PerimeterX)", false}, {"px-cloud.net", "HUMAN (PerimeterX)", false},
	{"perimeterx.net", "HUMAN (PerimeterX)", false}, {"forter.com", "Forter", false},
	{"sift.com", "Sift", false}, {"siftscience.com", "Sift", false},
	{"nudatasecurity.com", "NuData (Mastercard)", false}, {"sardine.ai", "Sardine", false},
	{"ipqualityscore.com", "IPQualityScore", false}, {"datadome.co", "DataDome", false},
	{"ravelin.com", "Ravelin", false}, {"ravelin.net", "Ravelin", false},
}

// fingerprintScripts are script path fragments of fingerprinting libraries.
var fingerprintScripts = []string{"fingerprintjs", "fingerprint2", "/fp.min.js", "clientjs"}

func lookupHost(u *url.URL, table []hostService) (hostService, bool) {
	h := host(u)
	for _, s := range table {
		if hostIn(h, s.host) {
			return s, true
		}
	}
	return hostService{}, false
}

// replayVendor names the replay vendor whose host u is on, or "".
func replayVendor(u *url.URL) string {
	s, _ := lookupHost(u, replayHosts)
	return s.name
}

// replayEndpoint reports recording endpoints of mixed analytics vendors.
func replayEndpoint(u *url.URL) bool {
	return hostIs(u, "posthog.com") && pathIs(u, "/s") ||
		hostIs(u, "mixpanel.com") && pathIs(u, "/record") ||
		hostIs(u, "amplitude.com") && pathHasPrefix(u, "/sessions/") ||
		hostIs(u, "yandex.ru", "yandex.com") && pathHasPrefix(u, "/webvisor/")
}

// recordReplay notes session-replay traffic: uploads to replay vendors and
// rrweb-shaped payloads anywhere.
func (a *Analyzer) recordReplay(r *traffic.Request, u *url.URL, hits []Hit) {
	upload := len(r.Body) > 0 || len(r.Params) > 0 || len(r.WebSocket) > 0
	s, known := lookupHost(u, replayHosts)
	var reasons []string
	if known && upload && (s.replayOnly || replayEndpoint(u)) {
		reasons = append(reasons, "upload to "+s.name+" recording endpoint")
	}
	if hasSnapshotEvent(hits) {
		reasons = append(reasons, "$snapshot events")
	}
	if rrwebShape(r, hits) {
		reasons = append(reasons, "rrweb event payload")
	}
	if len(reasons) == 0 {
		return
	}
	name := s.name
	if name == "" {
		name = host(u)
	}
	e := evidence(a.replay, name)
	e.vendor, e.host, e.domain = strings.Clone(name), strings.Clone(host(u)), registrable(host(u))
	e.add(r.Index, reasons...)
}

func hasSnapshotEvent(hits []Hit) bool {
	for _, h := range hits {
		if h.Event == "$snapshot" || h.Event == "$snapshot_items" {
			return true
		}
	}
	return false
}

// rrwebShape reports whether decoded fields or a JSON body or WebSocket
// frame hold rrweb events: objects with numeric "type", "data" and
// "timestamp" members.
func rrwebShape(r *traffic.Request, hits []Hit) bool {
	for _, h := range hits {
		if !slices.ContainsFunc(h.Fields, func(f Field) bool { _, ok := rrwebStamp(f.Name); return ok }) {
			continue // no timestamp leaf: rrwebLeaves would say no
		}
		names := make([]param, len(h.Fields))
		for i, f := range h.Fields {
			names[i] = param{f.Name, f.Value}
		}
		if rrwebLeaves(names) {
			return true
		}
	}
	if len(hits) == 0 {
		if body := jsonBody(r); body != nil && mayBeRRWeb(body) && rrwebLeaves(jsonLeaves(body)) {
			return true
		}
	}
	for _, f := range r.WebSocket {
		if f.Sent && looksJSONBytes(f.Data) && mayBeRRWeb(f.Data) && rrwebLeaves(jsonLeaves(f.Data)) {
			return true
		}
	}
	return false
}

// mayBeRRWeb reports whether JSON could hold rrweb's shape: a key ending
// in "timestamp" is written as such, or with a \u escape. Anything else
// is not parsed at all.
func mayBeRRWeb(data []byte) bool {
	if len(data) > maxShapeScan {
		data = data[:maxShapeScan]
	}
	return bytes.Contains(data, []byte("timestamp")) || bytes.Contains(data, []byte(`\u`))
}

// jsonLeaves flattens up to maxJSONLeaves leaves of data, keeping what was
// read when it is larger or cut off.
func jsonLeaves(data []byte) []param {
	if len(data) > maxShapeScan {
		data = data[:maxShapeScan]
	}
	f := newFlattener(data)
	_ = f.value("")
	return f.out
}

// rrwebStamp reports a leaf name that is an event's timestamp, and the
// event's prefix.
func rrwebStamp(name string) (string, bool) {
	p, ok := strings.CutSuffix(name, "timestamp")
	return p, ok && (p == "" || strings.HasSuffix(p, ".") || strings.HasSuffix(p, ">"))
}

func rrwebLeaves(leaves []param) bool {
	if !slices.ContainsFunc(leaves, func(l param) bool { _, ok := rrwebStamp(l.Name); return ok }) {
		return false // no event's timestamp: no need for the map
	}
	byName := make(map[string]string, len(leaves))
	for _, l := range leaves {
		byName[l.Name] = l.Value
	}
	for _, l := range leaves {
		p, ok := rrwebStamp(l.Name)
		if !ok {
			continue
		}
		if !isDigits(byName[p+"type"]) {
			continue
		}
		for _, x := range leaves {
			if strings.HasPrefix(x.Name, p+"data.") || x.Name == p+"data" {
				return true
			}
		}
	}
	return false
}

// recordFingerprinting notes requests to known fingerprinting services and
// fingerprinting scripts.
func (a *Analyzer) recordFingerprinting(r *traffic.Request, u *url.URL, p party.Party) {
	s, ok := lookupHost(u, fingerprintHosts)
	if !ok {
		path := strings.ToLower(u.Path)
		for _, frag := range fingerprintScripts {
			if strings.Contains(path, frag) {
				s, ok = hostService{name: "fingerprinting library " + strings.Trim(frag, "/")}, true
				break
			}
		}
	}
	if !ok {
		return
	}
	h := strings.Clone(host(u))
	e := evidence(a.fingerprint, h)
	e.vendor, e.host, e.domain = s.name, h, strings.Clone(p.Domain)
	if e.domain == "" {
		e.domain = registrable(h)
	}
	e.add(r.Index)
}

// tinyImage reports a 1×1 image response (or, when the body was not kept,
// an image response of at most 200 bytes).
func tinyImage(r *traffic.Request) bool {
	resp := r.Response
	if resp == nil {
		return false
	}
	image := strings.HasPrefix(strings.ToLower(resp.MIME), "image/") || r.ResourceType == "image"
	if !image {
		return false
	}
	if len(resp.Body) > 0 {
		w, h, ok := imageSize(resp.Body)
		return ok && w <= 1 && h <= 1
	}
	return resp.BodySize >= 0 && resp.BodySize <= 200
}

// imageSize reads the dimensions of a GIF or PNG.
func imageSize(b []byte) (w, h int, ok bool) {
	switch {
	case len(b) >= 10 && string(b[:4]) == "GIF8":
		return int(binary.LittleEndian.Uint16(b[6:])), int(binary.LittleEndian.Uint16(b[8:])), true
	case len(b) >= 24 && string(b[1:4]) == "PNG":
		return int(binary.BigEndian.Uint32(b[16:])), int(binary.BigEndian.Uint32(b[20:])), true
	}
	return 0, 0, false
}

func (a *Analyzer) replayFindings() []Finding {
	var out []Finding
	for _, k := range sortedKeys(a.replay) {
		e := a.replay[k]
		out = append(out, Finding{
			Type: FindingSessionReplay, Vendor: e.vendor, Product: e.vendor, Host: e.host, Domain: e.domain,
			Summary: fmt.Sprintf("%s received session-recording data (%d request(s)); recordings can "+
				"hold anything the page shows or the visitor types.", e.vendor, e.requests.len()),
			Details:  []Detail{{"evidence", strings.Join(e.names(), "; ")}},
			Requests: e.requests.sorted(),
		})
	}
	return out
}

func (a *Analyzer) fingerprintFindings() []Finding {
	var out []Finding
	for _, h := range sortedKeys(a.fingerprint) {
		e := a.fingerprint[h]
		out = append(out, Finding{
			Type: FindingFingerprinting, Vendor: e.vendor, Host: h, Domain: e.domain,
			Summary:  fmt.Sprintf("The page loaded %s from %s, a browser fingerprinting service.", e.vendor, h),
			Details:  []Detail{{"service", e.vendor}},
			Requests: e.requests.sorted(),
		})
	}
	return out
}
