package reference

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// Request is what the search reads of one HAR entry.
type Request struct {
	Index   int
	URL     string
	Headers []NameValue
	Cookies []NameValue
	Body    string
	Frames  []string // sent WebSocket frames
}

// NameValue is a header or a cookie.
type NameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harFile struct {
	Log struct {
		Entries []struct {
			Request struct {
				URL      string      `json:"url"`
				Headers  []NameValue `json:"headers"`
				Cookies  []NameValue `json:"cookies"`
				PostData *struct {
					Text     string `json:"text"`
					Encoding string `json:"encoding"`
				} `json:"postData"`
			} `json:"request"`
			Messages []struct {
				Type string `json:"type"`
				Data string `json:"data"`
			} `json:"_webSocketMessages"`
		} `json:"entries"`
	} `json:"log"`
}

// ReadHAR reads a whole HAR into memory, as the research code does.
func ReadHAR(r io.Reader) ([]Request, error) {
	var f harFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("reference: read HAR: %w", err)
	}
	out := make([]Request, len(f.Log.Entries))
	for i, e := range f.Log.Entries {
		q := Request{Index: i, URL: e.Request.URL, Headers: e.Request.Headers, Cookies: e.Request.Cookies}
		if pd := e.Request.PostData; pd != nil {
			q.Body = pd.Text
			if pd.Encoding == "base64" {
				if b, err := base64.StdEncoding.DecodeString(pd.Text); err == nil {
					q.Body = string(b)
				}
			}
		}
		for _, m := range e.Messages {
			if m.Type == "send" {
				q.Frames = append(q.Frames, m.Data)
			}
		}
		out[i] = q
	}
	return out, nil
}

// maxLayers is the decoding depth of the Leaky Forms study.
const maxLayers = 3

// maxInflate caps what one gzip or zlib layer may expand to.
const maxInflate = 64 << 20

// Search returns the leaks in one request, one per (field, key).
func (p *Pool) Search(r Request) []Leak {
	s := &search{p: p, index: r.Index, seen: map[string]bool{}}
	s.text(r.URL, "url", "", 0)
	for _, h := range r.Headers {
		s.text(h.Value, "header:"+strings.ToLower(h.Name), "", 0)
	}
	for _, c := range r.Cookies {
		s.text(c.Value, "cookie:"+c.Name, "", 0)
	}
	if r.Body != "" {
		s.text(r.Body, "body", "", 0)
	}
	for _, f := range r.Frames {
		s.text(f, "websocket", "", 0)
	}
	return s.out
}

// SearchAll searches every request in order.
func (p *Pool) SearchAll(reqs []Request) []Leak {
	var out []Leak
	for _, r := range reqs {
		out = append(out, p.Search(r)...)
	}
	return out
}

type search struct {
	p     *Pool
	index int
	seen  map[string]bool
	out   []Leak
}

// text looks for every candidate in t, then decodes t and each of its
// tokens and searches what comes out, up to maxLayers deep.
func (s *search) text(t, where, layers string, depth int) {
	for _, c := range s.p.cands {
		if strings.Contains(t, c.text) && !s.seen[where+"\x00"+c.key] {
			s.seen[where+"\x00"+c.key] = true
			s.out = append(s.out, Leak{Request: s.index, Where: where, Key: c.key, Chain: c.chain + layers})
		}
	}
	if depth >= maxLayers {
		return
	}
	s.decoded(t, where, layers, depth)
	for _, tok := range tokens(t) {
		if tok != t && len(tok) >= s.p.minLen {
			s.decoded(tok, where, layers, depth)
		}
	}
}

// decoded tries every decoder on t and searches each result.
func (s *search) decoded(t, where, layers string, depth int) {
	for _, d := range decoders {
		if out, ok := d.fn(t); ok && out != t {
			s.text(out, where, layers+"<"+d.name, depth+1)
		}
	}
}

// tokens splits t on the delimiters of URLs, forms, cookies and JSON, and
// again on all of them but "/" and "+", which base64 holds; a token is
// listed once.
func tokens(t string) []string {
	var out []string
	seen := map[string]bool{}
	for _, delims := range []string{"&=?;/,|#:\"'{}[]() \t\r\n", "&=?;,|#:\"'{}[]() \t\r\n"} {
		for _, tok := range strings.FieldsFunc(t, func(r rune) bool { return strings.ContainsRune(delims, r) }) {
			if !seen[tok] {
				seen[tok] = true
				out = append(out, tok)
			}
		}
	}
	return out
}

var decoders = []struct {
	name string
	fn   func(string) (string, bool)
}{
	{"url", func(t string) (string, bool) {
		if !strings.ContainsAny(t, "%+") {
			return "", false
		}
		out, err := url.QueryUnescape(t)
		return out, err == nil
	}},
	{"base64", decodeBase64},
	{"hex", func(t string) (string, bool) {
		b, err := hex.DecodeString(t)
		return string(b), err == nil && len(b) > 0
	}},
	{"gzip", func(t string) (string, bool) {
		if !strings.HasPrefix(t, "\x1f\x8b") {
			return "", false
		}
		zr, err := gzip.NewReader(strings.NewReader(t))
		if err != nil {
			return "", false
		}
		b, _ := io.ReadAll(io.LimitReader(zr, maxInflate))
		return string(b), len(b) > 0
	}},
	{"zlib", func(t string) (string, bool) {
		if len(t) < 2 || t[0] != 0x78 {
			return "", false
		}
		zr, err := zlib.NewReader(strings.NewReader(t))
		if err != nil {
			return "", false
		}
		b, _ := io.ReadAll(io.LimitReader(zr, maxInflate))
		return string(b), len(b) > 0
	}},
}

func decodeBase64(t string) (string, bool) {
	if len(t) < 8 {
		return "", false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(t); err == nil && !bytes.Equal(b, []byte(t)) {
			return string(b), true
		}
	}
	return "", false
}
