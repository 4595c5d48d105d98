package pixel

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// harFile is the part of HAR 1.2 these tests read. It is a test-only
// loader: the real reader is internal/har.
type harFile struct {
	Log struct {
		Pages []struct {
			Title string `json:"title"`
		} `json:"pages"`
		Entries []struct {
			Request struct {
				Method   string      `json:"method"`
				URL      string      `json:"url"`
				Headers  []harNV     `json:"headers"`
				Cookies  []harCookie `json:"cookies"`
				PostData *struct {
					MimeType string `json:"mimeType"`
					Text     string `json:"text"`
					Params   []struct {
						Name  string          `json:"name"`
						Value json.RawMessage `json:"value"`
					} `json:"params"`
				} `json:"postData"`
			} `json:"request"`
			Response struct {
				Status  int         `json:"status"`
				Headers []harNV     `json:"headers"`
				Cookies []harCookie `json:"cookies"`
				Content struct {
					Size     int64  `json:"size"`
					MimeType string `json:"mimeType"`
					Text     string `json:"text"`
					Encoding string `json:"encoding"`
				} `json:"content"`
			} `json:"response"`
			ResourceType string `json:"_resourceType"`
		} `json:"entries"`
	} `json:"log"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harCookie struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
}

// loadHAR reads a shared HAR into requests.
func loadHAR(tb testing.TB, name string) []*traffic.Request {
	tb.Helper()
	data, err := os.ReadFile(sharedtest.Path(tb, "har", name))
	if err != nil {
		tb.Fatalf("shared test data: %v", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // Fiddler writes a BOM
	var h harFile
	if err := json.Unmarshal(data, &h); err != nil {
		tb.Fatalf("parse %s: %v", name, err)
	}
	out := make([]*traffic.Request, 0, len(h.Log.Entries))
	for i, e := range h.Log.Entries {
		r := &traffic.Request{Index: i, URL: e.Request.URL, Method: e.Request.Method, ResourceType: e.ResourceType}
		for _, x := range e.Request.Headers {
			r.Headers = append(r.Headers, traffic.Header{Name: x.Name, Value: x.Value})
		}
		r.Cookies = harCookies(e.Request.Cookies)
		if pd := e.Request.PostData; pd != nil {
			r.BodyMIME = pd.MimeType
			r.Body = []byte(pd.Text)
			for _, p := range pd.Params {
				// Some exporters write non-string values; keep their JSON text.
				var v string
				if json.Unmarshal(p.Value, &v) != nil {
					v = string(p.Value)
				}
				r.Params = append(r.Params, traffic.Param{Name: p.Name, Value: v})
			}
			if len(r.Body) > 0 {
				r.Params = nil
			}
		}
		resp := &traffic.Response{Status: e.Response.Status, MIME: e.Response.Content.MimeType,
			BodySize: e.Response.Content.Size, Cookies: harCookies(e.Response.Cookies)}
		for _, x := range e.Response.Headers {
			resp.Headers = append(resp.Headers, traffic.Header{Name: x.Name, Value: x.Value})
		}
		resp.Body = []byte(e.Response.Content.Text)
		if e.Response.Content.Encoding == "base64" {
			resp.Body, _ = base64.StdEncoding.DecodeString(e.Response.Content.Text)
		}
		r.Response = resp
		out = append(out, r)
	}
	return out
}

func harCookies(cs []harCookie) []traffic.Cookie {
	var out []traffic.Cookie
	for _, c := range cs {
		out = append(out, traffic.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path})
	}
	return out
}

// harPageURL returns the visited page of a shared HAR: the first page's
// title when it is a URL (chrome-har writes the URL there), else the first
// request's URL.
func harPageURL(tb testing.TB, name string) string {
	tb.Helper()
	data, err := os.ReadFile(sharedtest.Path(tb, "har", name))
	if err != nil {
		tb.Fatalf("shared test data: %v", err)
	}
	var h harFile
	if err := json.Unmarshal(data, &h); err != nil {
		tb.Fatalf("parse %s: %v", name, err)
	}
	if len(h.Log.Pages) > 0 && strings.HasPrefix(h.Log.Pages[0].Title, "http") {
		return h.Log.Pages[0].Title
	}
	if len(h.Log.Entries) > 0 {
		return h.Log.Entries[0].Request.URL
	}
	return ""
}
