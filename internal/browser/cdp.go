package browser

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// The DevTools protocol shapes below hold only the fields leakwatch records;
// unknown fields of newer Chromium versions are ignored.

type cdpHeaders map[string]any

type cdpRequest struct {
	URL             string     `json:"url"`
	Method          string     `json:"method"`
	Headers         cdpHeaders `json:"headers"`
	PostData        string     `json:"postData"`
	HasPostData     bool       `json:"hasPostData"`
	PostDataEntries []struct {
		Bytes string `json:"bytes"`
	} `json:"postDataEntries"`
}

type cdpStack struct {
	CallFrames []struct {
		FunctionName string `json:"functionName"`
		URL          string `json:"url"`
		LineNumber   int    `json:"lineNumber"`
		ColumnNumber int    `json:"columnNumber"`
	} `json:"callFrames"`
	Parent *cdpStack `json:"parent"`
}

type cdpInitiator struct {
	Type         string    `json:"type"`
	URL          string    `json:"url"`
	LineNumber   float64   `json:"lineNumber"`
	ColumnNumber float64   `json:"columnNumber"`
	Stack        *cdpStack `json:"stack"`
}

type cdpResponse struct {
	URL            string     `json:"url"`
	Status         int        `json:"status"`
	StatusText     string     `json:"statusText"`
	Headers        cdpHeaders `json:"headers"`
	RequestHeaders cdpHeaders `json:"requestHeaders"`
	MimeType       string     `json:"mimeType"`
	Protocol       string     `json:"protocol"`
	// FromServiceWorker: a service worker answered instead of the network.
	FromServiceWorker bool `json:"fromServiceWorker"`
	// RemoteIPAddress and RemotePort are the server's address (IPv6 in
	// brackets), when the connection was made.
	RemoteIPAddress string `json:"remoteIPAddress"`
	RemotePort      int    `json:"remotePort"`
}

type cdpCookie struct {
	Name     string  `json:"name"`
	Value    string  `json:"value"`
	Domain   string  `json:"domain"`
	Path     string  `json:"path"`
	Expires  float64 `json:"expires"`
	HTTPOnly bool    `json:"httpOnly"`
	Secure   bool    `json:"secure"`
	Session  bool    `json:"session"`
	SameSite string  `json:"sameSite"`
}

type requestWillBeSent struct {
	RequestID        string       `json:"requestId"`
	Request          cdpRequest   `json:"request"`
	Timestamp        float64      `json:"timestamp"`
	WallTime         float64      `json:"wallTime"`
	Initiator        cdpInitiator `json:"initiator"`
	RedirectResponse *cdpResponse `json:"redirectResponse"`
	Type             string       `json:"type"`
	FrameID          string       `json:"frameId"`
}

type requestExtra struct {
	RequestID         string     `json:"requestId"`
	Headers           cdpHeaders `json:"headers"`
	AssociatedCookies []struct {
		Cookie         cdpCookie `json:"cookie"`
		BlockedReasons []string  `json:"blockedReasons"`
	} `json:"associatedCookies"`
}

type responseExtra struct {
	RequestID  string     `json:"requestId"`
	Headers    cdpHeaders `json:"headers"`
	StatusCode int        `json:"statusCode"`
}

// headers turns a CDP header object into an ordered list; a value holding
// several lines (Set-Cookie) becomes several headers.
func (h cdpHeaders) headers() traffic.Headers {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var out traffic.Headers
	for _, k := range names {
		v := fmt.Sprint(h[k])
		for _, line := range strings.Split(v, "\n") {
			out = append(out, traffic.Header{Name: k, Value: line})
		}
	}
	return out
}

func (i cdpInitiator) initiator() traffic.Initiator {
	in := traffic.Initiator{Type: i.Type, URL: i.URL, Line: int(i.LineNumber), Column: int(i.ColumnNumber)}
	for st := i.Stack; st != nil; st = st.Parent {
		for _, f := range st.CallFrames {
			in.Stack = append(in.Stack, traffic.StackFrame{Function: f.FunctionName, URL: f.URL,
				Line: f.LineNumber, Column: f.ColumnNumber})
		}
	}
	return in
}

func (r *cdpResponse) response() *traffic.Response {
	resp := &traffic.Response{Status: r.Status, StatusText: r.StatusText, HTTPVersion: r.Protocol,
		Headers: r.Headers.headers(), MIME: r.MimeType, BodySize: -1, FromServiceWorker: r.FromServiceWorker,
		RemoteIP: strings.Trim(r.RemoteIPAddress, "[]"), RemotePort: r.RemotePort}
	resp.Cookies = setCookies(resp.Headers)
	return resp
}

func (c cdpCookie) cookie() traffic.Cookie {
	tc := traffic.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
		HTTPOnly: c.HTTPOnly, Secure: c.Secure, SameSite: c.SameSite}
	if !c.Session && c.Expires > 0 && !math.IsInf(c.Expires, 0) && c.Expires < 1e11 {
		tc.Expires = wall(c.Expires)
	}
	return tc
}

// body returns the request body as CDP gave it: the raw entries when
// present, else the postData string.
func (r cdpRequest) body() []byte {
	if len(r.PostDataEntries) > 0 {
		var out []byte
		for _, e := range r.PostDataEntries {
			b, err := base64.StdEncoding.DecodeString(e.Bytes)
			if err != nil {
				return []byte(r.PostData)
			}
			out = append(out, b...)
		}
		if len(out) > 0 || r.PostData == "" {
			return out
		}
	}
	if r.PostData == "" {
		return nil
	}
	return []byte(r.PostData)
}

// setCookies parses the Set-Cookie headers of a response.
func setCookies(h traffic.Headers) []traffic.Cookie {
	var out []traffic.Cookie
	for _, v := range h.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(v)
		if err != nil {
			continue
		}
		tc := traffic.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Expires: c.Expires, HTTPOnly: c.HttpOnly, Secure: c.Secure}
		switch c.SameSite {
		case http.SameSiteLaxMode:
			tc.SameSite = "Lax"
		case http.SameSiteStrictMode:
			tc.SameSite = "Strict"
		case http.SameSiteNoneMode:
			tc.SameSite = "None"
		}
		out = append(out, tc)
	}
	return out
}

// cookieHeader parses a Cookie request header into cookies.
func cookieHeader(h traffic.Headers) []traffic.Cookie {
	var out []traffic.Cookie
	for _, v := range h.Values("Cookie") {
		cs, err := http.ParseCookie(v)
		if err != nil {
			continue
		}
		for _, c := range cs {
			out = append(out, traffic.Cookie{Name: c.Name, Value: c.Value})
		}
	}
	return out
}

// wall converts seconds since the epoch to a time.
func wall(sec float64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	s, frac := math.Modf(sec)
	return time.Unix(int64(s), int64(frac*1e9)).UTC()
}

func decodeBody(s string, base64Encoded bool) []byte {
	if !base64Encoded {
		return []byte(s)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return []byte(s)
	}
	return b
}

func jsonString(raw []byte, out any) error {
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("decode script result: %w", err)
	}
	return nil
}
