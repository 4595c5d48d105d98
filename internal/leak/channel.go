package leak

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// request walks every channel of a request and of its response's hand-off.
func (s *scanner) request(r *traffic.Request) {
	s.surface("URL", func() { s.url(ChannelURLPath, ChannelQuery, ChannelFragment, "", []byte(r.URL), true) })
	s.surface("headers", func() { s.headers(r.Headers) })
	s.surface("cookies", func() { s.cookies(r) })
	s.surface("body", func() { s.body(r) })
	// Frames are named by direction only, so that a value repeated in
	// every frame of a session is one finding per field.
	for i, f := range r.WebSocket {
		loc := "received"
		if f.Sent {
			loc = "sent"
		}
		s.surface("WebSocket frame "+strconv.Itoa(i+1), func() {
			s.ch = ChannelWebSocket
			s.text(loc, f.Data, nil)
		})
	}
	if r.Response != nil {
		s.surface("response", func() { s.response(r.Response) })
	}
}

// url searches a URL: path segments and ;k=v parameters, query pairs and
// the fragment, each in its channel. top marks the request's own URL,
// whose path is searched segment by segment.
func (s *scanner) url(pathCh, queryCh, fragCh, prefix string, u []byte, top bool) {
	rest, frag, hasFrag := bytes.Cut(u, []byte("#"))
	rest, query, _ := bytes.Cut(rest, []byte("?"))
	path := rest
	if i := bytes.Index(rest, []byte("://")); i >= 0 {
		path = rest[i+3:]
		if j := bytes.IndexByte(path, '/'); j >= 0 {
			path = path[j:]
		} else {
			path = nil
		}
	}
	s.ch = pathCh
	if top {
		s.pathSegments(prefix, path)
	} else if len(path) > 1 {
		s.leaf(prefix, percentDecodeSafe(path), nil, 0, 1)
	}
	s.ch = queryCh
	s.pairs(prefix, query, nil, 0, 0)
	if hasFrag && len(frag) > 0 {
		s.ch = fragCh
		if looksForm(frag) {
			s.pairs(prefix, frag, nil, 0, 0)
		} else {
			s.field(s.join(prefix, "#"), queryDecode(frag), nil, 0, 1)
		}
	}
}

func percentDecodeSafe(v []byte) []byte {
	if bytes.IndexByte(v, '%') < 0 {
		return v
	}
	return percentDecode(v)
}

func (s *scanner) pathSegments(prefix string, path []byte) {
	for i, seg := range bytes.Split(bytes.TrimPrefix(path, []byte("/")), []byte("/")) {
		name, params, _ := bytes.Cut(seg, []byte(";"))
		s.field(s.join(prefix, "/"+strconv.Itoa(i+1)), percentDecodeSafe(name), nil, 0, 1)
		for _, p := range bytes.Split(params, []byte(";")) {
			k, v, _ := bytes.Cut(p, []byte("="))
			if len(k) > 0 || len(v) > 0 {
				s.field(s.join(prefix, ";"+nameOf(percentDecodeSafe(k))), percentDecodeSafe(v), nil, 0, 1)
			}
		}
	}
}

// pairs searches k=v&k=v text; the normal decoding of each value is not a
// reported transform.
func (s *scanner) pairs(loc string, q []byte, chain []string, depth, nest int) {
	for len(q) > 0 {
		var p []byte
		p, q, _ = bytes.Cut(q, []byte("&"))
		k, v, hasEq := bytes.Cut(p, []byte("="))
		if !hasEq {
			k, v = []byte("?"), k
		}
		if len(v) == 0 {
			continue
		}
		name := s.join(loc, nameOf(queryDecode(k)))
		s.field(name, s.queryDecode(v, nest), chain, depth, nest+1)
		// A '+' left unescaped is a space to a form decoder but may be
		// base64 to the sender: search that reading too. Past the budget
		// it cannot be decoded, so only persona values are looked for in
		// it (a phone's '+'): the value was searched once already.
		plus := bytes.IndexByte(v, '+')
		switch {
		case plus <= 0 || plus == len(v)-1:
		case len(chain) == 0 && len(v) > s.budget:
			s.capHit = true
			s.matchText(name, percentDecodeSafe(v), chain)
		case scanFeatures(v, false).b64 >= minB64Run:
			s.leaf(name, percentDecodeSafe(v), chain, depth, nest+1)
		}
	}
}

// queryDecode is queryDecode into a buffer kept per nesting level: a
// pair's value is searched before the next pair at its level is decoded,
// and nothing kept from a search points into it (findings copy), so a
// form of huge values costs one copy of the largest, not of each.
func (s *scanner) queryDecode(v []byte, nest int) []byte {
	if nest >= len(s.scratch) || bytes.IndexByte(v, '%') < 0 && bytes.IndexByte(v, '+') < 0 {
		return queryDecode(v)
	}
	if cap(s.scratch[nest]) < len(v) {
		s.scratch[nest] = make([]byte, 0, len(v))
	}
	s.scratch[nest] = appendUnescapeURL(s.scratch[nest][:0], v, true)
	return s.scratch[nest]
}

func (s *scanner) form(loc string, v []byte, chain []string, depth, nest int) {
	s.pairs(loc, v, chain, depth, nest)
}

// nestedURL searches a URL held in a field (a page URL, a referrer): the
// part before the query as one value, then its query pairs by name.
func (s *scanner) nestedURL(loc string, v []byte, chain []string, depth, nest int) {
	rest, frag, _ := bytes.Cut(v, []byte("#"))
	base, query, _ := bytes.Cut(rest, []byte("?"))
	s.leaf(loc, base, chain, depth, nest+1)
	s.pairs(loc, query, chain, depth, nest)
	if len(frag) > 0 {
		s.field(s.join(loc, "#"), frag, chain, depth, nest+1)
	}
}

func looksJSON(v []byte) bool {
	i := 0
	for i < len(v) && (v[i] == ' ' || v[i] == '\n' || v[i] == '\r' || v[i] == '\t') {
		i++
	}
	if i >= len(v) || (v[i] != '{' && v[i] != '[') || len(v)-i < 2 {
		return false
	}
	j := len(v) - 1
	for j > i && (v[j] == ' ' || v[j] == '\n' || v[j] == '\r' || v[j] == '\t') {
		j--
	}
	return v[j] == '}' || v[j] == ']' || v[i] == '{'
}

func looksURL(v []byte) bool {
	return (bytes.HasPrefix(v, []byte("https://")) || bytes.HasPrefix(v, []byte("http://"))) &&
		!bytes.ContainsAny(v, " \n\t")
}

// looksForm reports k=v(&k=v)* text with plausible key names.
func looksForm(v []byte) bool {
	eq := bytes.IndexByte(v, '=')
	if eq < 1 || bytes.ContainsAny(v, " \n\r\t") {
		return false
	}
	if len(bytes.TrimRight(v, "=")) <= eq { // base64 padding, not a pair
		return false
	}
	for _, c := range v[:eq] {
		if class[c]&cAlnum == 0 && !strings.ContainsRune("_.-[]$%", rune(c)) {
			return false
		}
	}
	return true
}

var skipHeaders = map[string]bool{"cookie": true, ":path": true, ":authority": true, ":method": true, ":scheme": true}

func (s *scanner) headers(h traffic.Headers) {
	for _, x := range h {
		name := strings.ToLower(x.Name)
		if skipHeaders[name] || x.Value == "" {
			continue
		}
		if name == "referer" || name == "origin" {
			s.url(ChannelHeader, ChannelHeader, ChannelHeader, x.Name, []byte(x.Value), false)
			continue
		}
		s.ch = ChannelHeader
		s.field(nameOf([]byte(x.Name)), []byte(x.Value), nil, 0, 0)
	}
}

func (s *scanner) cookies(r *traffic.Request) {
	s.ch = ChannelCookie
	hdr := r.Headers.Values("Cookie")
	for _, line := range hdr {
		for more := true; more; {
			var part string
			part, line, more = strings.Cut(line, ";")
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			s.field(nameOfString(k), s.wireCopy(v), nil, 0, 1)
		}
	}
	if len(hdr) == 0 {
		for _, c := range r.Cookies {
			s.field(nameOf([]byte(c.Name)), []byte(c.Value), nil, 0, 1)
		}
	}
}

// body searches a request body by its content type, after undoing its
// Content-Encoding; recorded form params stand in when there is no body.
func (s *scanner) body(r *traffic.Request) {
	s.ch = ChannelBody
	body := r.Body
	if enc := r.Headers.Get("Content-Encoding"); enc != "" && len(body) > 0 {
		dec, err := s.contentDecode(enc, body)
		if err != nil {
			s.warnf("body: %v", err)
		}
		s.noWireCharge = len(dec) == 0 || len(dec) != len(body) || &dec[0] != &body[0]
		defer func() { s.noWireCharge = false }()
		body = dec
	}
	if len(body) == 0 {
		for _, p := range r.Params {
			s.field(p.Name, []byte(p.Value), nil, 0, 1)
		}
		return
	}
	ct := r.BodyMIME
	if ct == "" {
		ct = r.Headers.Get("Content-Type")
	}
	s.content(ct, "", body)
}

func (s *scanner) content(ct, loc string, body []byte) {
	// Clients compress in JavaScript (posthog-js gzip-js, Clarity, Datadog's
	// replay segments as raw zlib in a multipart part) and send the bytes
	// without a Content-Encoding: whole bodies and parts are sniffed.
	if kind := compressedKind(body); kind != "" {
		if dec, err := s.inflate(kind, body); usable(dec, err) {
			s.text(loc, dec, []string{kind})
			return
		}
	}
	mt, params, _ := mime.ParseMediaType(ct)
	switch {
	case strings.HasPrefix(mt, "multipart/") && params["boundary"] != "":
		if s.multipart(loc, params["boundary"], body) {
			return
		}
	case mt == "application/x-www-form-urlencoded" && !looksJSON(body):
		s.pairs(loc, bytes.TrimSpace(body), nil, 0, 0)
		return
	}
	s.text(loc, body, nil)
}

// text searches free text: JSON as a whole, else line by line (batched
// events), each line split as JSON or a form when it is one.
func (s *scanner) text(loc string, body []byte, chain []string) {
	if looksJSON(body) || bytes.IndexByte(body, '\n') < 0 {
		s.field(loc, body, chain, 0, 0)
		return
	}
	for len(body) > 0 {
		var line []byte
		line, body, _ = bytes.Cut(body, []byte("\n"))
		s.field(loc, bytes.TrimRight(line, "\r"), chain, 0, 0)
	}
}

// multipart searches each part under its form name; false if the body is
// not multipart after all.
func (s *scanner) multipart(loc, boundary string, body []byte) bool {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	parts := 0
	for {
		p, err := mr.NextPart()
		if err != nil {
			if err != io.EOF && parts == 0 {
				return false
			}
			return true
		}
		parts++
		data, err := io.ReadAll(io.LimitReader(p, int64(s.budget)+1))
		if len(data) > s.budget { // the part's values are charged as searched
			s.capHit = true
			data = data[:s.budget]
		}
		name := nameOf([]byte(p.FormName()))
		if fn := p.FileName(); fn != "" {
			name += " (" + fn + ")"
		}
		s.content(p.Header.Get("Content-Type"), s.join(loc, name), data)
		if err != nil {
			return true
		}
	}
}

// response searches what a response hands to the next hop: the Location
// of a redirect and the cookies it sets.
func (s *scanner) response(resp *traffic.Response) {
	loc := resp.Headers.Get("Location")
	if loc == "" {
		loc = resp.RedirectURL
	}
	if loc != "" {
		s.url(ChannelRedirect, ChannelRedirect, ChannelRedirect, "", []byte(loc), true)
	}
	s.ch = ChannelCookie
	set := resp.Headers.Values("Set-Cookie")
	for _, line := range set {
		for _, one := range strings.Split(line, "\n") { // HAR joins repeats with newlines
			nv, _, _ := strings.Cut(one, ";")
			k, v, _ := strings.Cut(strings.TrimSpace(nv), "=")
			s.field("Set-Cookie: "+nameOf([]byte(k)), []byte(v), nil, 0, 1)
		}
	}
	if len(set) == 0 {
		for _, c := range resp.Cookies {
			s.field("Set-Cookie: "+nameOf([]byte(c.Name)), []byte(c.Value), nil, 0, 1)
		}
	}
}

// compressedKind names the compression a byte run starts with: the gzip
// magic, or a zlib header (deflate, a window of at most 32 KiB, and the
// header check that makes a chance match 1 in 31 of those), else "".
func compressedKind(b []byte) string {
	switch {
	case codec.IsGzip(b):
		return codec.Gzip
	case len(b) > 2 && codec.IsZlib(b):
		return codec.Zlib
	}
	return ""
}
