package pixel

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// maxBody caps how much of a (decompressed) request body a decoder reads.
const maxBody = 8 << 20

// param is one name/value pair in wire order.
type param struct {
	Name, Value string
}

// parseQuery splits an application/x-www-form-urlencoded string into
// ordered pairs. Unlike url.ParseQuery it keeps order and duplicates, and a
// bad escape keeps the raw text instead of failing the whole string.
func parseQuery(raw string) []param {
	var out []param
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		out = append(out, param{codec.QueryUnescape(name), codec.QueryUnescape(value)})
	}
	return out
}

// queryParams returns the ordered query parameters of u.
func queryParams(u *url.URL) []param {
	return parseQuery(u.RawQuery)
}

// bodyMIME returns the request body's media type and parameters, from
// BodyMIME or the Content-Type header.
func bodyMIME(r *traffic.Request) (string, map[string]string) {
	ct := r.BodyMIME
	if ct == "" {
		ct = r.Headers.Get("Content-Type")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		params = map[string]string{}
		if _, b, ok := strings.Cut(ct, "boundary="); ok {
			params["boundary"] = strings.Trim(strings.TrimSpace(b), `"`)
		}
	}
	return mt, params
}

// requestBody returns the request body with any Content-Encoding (or a bare
// gzip stream) undone, capped at maxBody. Undecodable bodies are returned raw.
func requestBody(r *traffic.Request) []byte {
	if len(r.Body) == 0 {
		return nil
	}
	out, _, _ := codec.Decode(r.Headers.Get("Content-Encoding"), r.Body,
		codec.Limits{MaxOutput: maxBody, SniffGzip: true})
	if len(out) > maxBody {
		return out[:maxBody]
	}
	return out
}

// formParams returns the body's form fields: a form-urlencoded or multipart
// body, else the separately recorded Params. Other bodies yield nil.
func formParams(r *traffic.Request) []param {
	mt, mp := bodyMIME(r)
	body := requestBody(r)
	switch {
	case len(body) == 0:
		var out []param
		for _, p := range r.Params {
			out = append(out, param{p.Name, p.Value})
		}
		return out
	case strings.HasPrefix(mt, "multipart/"):
		return multipartParams(body, mp["boundary"])
	case mt == "application/x-www-form-urlencoded":
		if looksJSONBytes(body) && json.Valid(body) {
			return nil // mislabelled JSON (e.g. Klaviyo identify): decoded as JSON
		}
		return parseQuery(string(body))
	case (mt == "" || mt == "text/plain") && looksQuery(body):
		return parseQuery(string(body)) // sendBeacon of a query string
	}
	return nil
}

// looksQuery reports whether a body is a single-line query string: it
// starts with a parameter name (at most 64 name characters) and "=".
func looksQuery(body []byte) bool {
	if bytes.IndexByte(body, '\n') >= 0 || looksJSONBytes(body) {
		return false
	}
	i := bytes.IndexByte(body, '=')
	if i <= 0 || i > 64 {
		return false
	}
	for _, c := range body[:i] {
		if !isAlnum(c) && !strings.ContainsRune("_.-[]%$~:", rune(c)) {
			return false
		}
	}
	return true
}

// multipartParams reads the parts of a multipart body. A missing boundary is
// taken from the body's first line. Parts that fail to parse end the read;
// what was read is kept.
func multipartParams(body []byte, boundary string) []param {
	if boundary == "" {
		line, _, _ := bytes.Cut(body, []byte("\n"))
		boundary = strings.TrimPrefix(strings.TrimSpace(string(line)), "--")
	}
	if boundary == "" {
		return nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var out []param
	for {
		p, err := mr.NextPart()
		if err != nil {
			return out
		}
		v, err := io.ReadAll(io.LimitReader(p, maxBody))
		name := p.FormName()
		if name == "" {
			name = p.FileName()
		}
		out = append(out, param{name, string(v)})
		if err != nil {
			return out
		}
	}
}

// allParams returns query parameters followed by body form parameters.
func allParams(r *traffic.Request, u *url.URL) []param {
	return append(queryParams(u), formParams(r)...)
}

// decodeBase64 decodes standard or URL-safe base64, padded or not, ignoring
// whitespace. ok is false when s is not base64.
func decodeBase64(s string) ([]byte, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return nil, false
	}
	s = strings.TrimRight(s, "=")
	enc := base64.RawStdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.RawURLEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, false
	}
	return b, true
}

// gunzip decompresses a gzip stream, capped at maxBody; a stream cut off
// early gives what came before the cut.
func gunzip(b []byte) ([]byte, bool) {
	out, applied, err := codec.Decode(codec.Gzip, b, codec.Limits{MaxOutput: maxBody})
	return out, len(applied) > 0 && (err == nil || codec.Partial(err))
}
