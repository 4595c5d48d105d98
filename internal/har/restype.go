package har

import (
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// cdpTypes maps resource type names as exporters spell them (Chrome DevTools
// lowercase, CDP's capitalised Network.ResourceType) to DevTools' names.
var cdpTypes = map[string]string{
	"cspviolationreport": "csp-violation-report",
	"signedexchange":     "signed-exchange",
	"textrack":           "texttrack",
}

// fetchDests maps a Sec-Fetch-Dest request header to a resource type.
var fetchDests = map[string]string{
	"document": "document", "iframe": "document", "frame": "document",
	"script": "script", "worker": "script", "sharedworker": "script",
	"serviceworker": "script", "paintworklet": "script", "audioworklet": "script",
	"style": "stylesheet", "image": "image", "font": "font",
	"audio": "media", "video": "media", "track": "texttrack",
	"manifest": "manifest", "report": "csp-violation-report",
	"object": "other", "embed": "other",
}

// mimeTypes maps a response MIME type prefix to a resource type, in order.
var mimeTypes = []struct{ prefix, typ string }{
	{"text/html", "document"},
	{"application/xhtml", "document"},
	{"text/javascript", "script"},
	{"application/javascript", "script"},
	{"application/x-javascript", "script"},
	{"application/ecmascript", "script"},
	{"text/ecmascript", "script"},
	{"text/css", "stylesheet"},
	{"image/", "image"},
	{"font/", "font"},
	{"application/font", "font"},
	{"application/x-font", "font"},
	{"application/vnd.ms-fontobject", "font"},
	{"audio/", "media"},
	{"video/", "media"},
	{"application/json", "xhr"},
	{"text/json", "xhr"},
	{"application/ld+json", "xhr"},
	{"text/event-stream", "eventsource"},
	{"application/wasm", "wasm"},
	{"application/manifest+json", "manifest"},
}

// resourceType returns the recorded _resourceType in DevTools' spelling, or
// infers one from the request headers and response MIME type.
func resourceType(recorded string, r *traffic.Request) string {
	if recorded != "" {
		t := strings.ToLower(recorded)
		if m, ok := cdpTypes[t]; ok {
			return m
		}
		return t
	}
	return inferType(r)
}

func inferType(r *traffic.Request) string {
	h := r.Headers
	if strings.EqualFold(h.Get("Upgrade"), "websocket") ||
		strings.HasPrefix(r.URL, "ws://") || strings.HasPrefix(r.URL, "wss://") {
		return "websocket"
	}
	dest := strings.ToLower(h.Get("Sec-Fetch-Dest"))
	if t, ok := fetchDests[dest]; ok {
		return t
	}
	if strings.HasPrefix(strings.ToLower(h.Get("Content-Type")), "text/ping") {
		return "ping"
	}
	if strings.EqualFold(h.Get("X-Requested-With"), "XMLHttpRequest") {
		return "xhr"
	}
	if r.Response != nil {
		if t := typeOfMIME(r.Response.MIME); t != "" {
			return t
		}
	}
	accept := strings.ToLower(h.Get("Accept"))
	switch {
	case strings.HasPrefix(accept, "text/html"):
		return "document"
	case strings.HasPrefix(accept, "text/css"):
		return "stylesheet"
	case strings.HasPrefix(accept, "image/"):
		return "image"
	case dest == "empty":
		return "xhr"
	}
	return "other"
}

func typeOfMIME(mime string) string {
	mime = strings.ToLower(strings.TrimSpace(mime))
	for _, m := range mimeTypes {
		if strings.HasPrefix(mime, m.prefix) {
			return m.typ
		}
	}
	return ""
}
