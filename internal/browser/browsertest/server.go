package browsertest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/websocket"
)

// Hit is one request a test server received.
type Hit struct {
	Host, Path, Query string
	Method            string
	Body              []byte
	Cookie            string
}

// Server serves a test site directory on HTTP and HTTPS under any *.test
// hostname. In served HTML and JS, {{HTTP}} and {{HTTPS}} become the
// servers' ports, so pages write http://site.test:{{HTTP}}/...
type Server struct {
	dir       string
	HTTP      *httptest.Server
	HTTPS     *httptest.Server
	spki      string
	done      chan struct{}
	closeOnce sync.Once
	mu        sync.Mutex
	hits      []Hit
}

// NewServer starts the servers for the files in dir.
func NewServer(dir string) (*Server, error) {
	s := &Server{dir: dir, done: make(chan struct{})}
	cert, spki, err := SelfSigned()
	if err != nil {
		return nil, err
	}
	s.spki = spki
	s.HTTP = httptest.NewServer(s.handler())
	s.HTTPS = httptest.NewUnstartedServer(s.handler())
	s.HTTPS.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.HTTPS.StartTLS()
	return s, nil
}

// Close stops the servers, ending hanging responses.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.HTTP.Close()
	s.HTTPS.Close()
}

// BrowserArgs map every *.test host to loopback and trust the certificate.
func (s *Server) BrowserArgs() []string {
	return MapArgs("*.test", "127.0.0.1", s.spki)
}

// URL returns a URL on host (e.g. "site.test") for path, over HTTPS when tls.
func (s *Server) URL(host string, tls bool, p string) string {
	if tls {
		return "https://" + host + ":" + s.port(s.HTTPS) + p
	}
	return "http://" + host + ":" + s.port(s.HTTP) + p
}

func (s *Server) port(ts *httptest.Server) string {
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	return port
}

// Hits returns the requests received so far whose path has the prefix.
func (s *Server) Hits(prefix string) []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Hit
	for _, h := range s.hits {
		if strings.HasPrefix(h.Path, prefix) {
			out = append(out, h)
		}
	}
	return out
}

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/collect", s.collect)
	mux.HandleFunc("/setcookie", func(w http.ResponseWriter, r *http.Request) {
		s.record(r, nil)
		w.Header().Add("Set-Cookie", "tp="+r.URL.Query().Get("v")+"; Path=/; SameSite=None; Secure")
		w.Header().Set("Content-Type", "image/gif")
		_, _ = w.Write(gif)
	})
	mux.HandleFunc("/never", s.never)
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		s.record(r, nil)
		http.Redirect(w, r, "/loop?again", http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-r.Context().Done():
		case <-s.done:
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"slow":true}`)
	})
	mux.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		s.record(r, nil)
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="data.bin"`)
		_, _ = w.Write(make([]byte, 4096))
	})
	mux.Handle("/ws", websocket.Handler(s.echo))
	mux.HandleFunc("/", s.file)
	return mux
}

func (s *Server) record(r *http.Request, body []byte) {
	host, _, _ := net.SplitHostPort(r.Host)
	s.mu.Lock()
	s.hits = append(s.hits, Hit{Host: host, Path: r.URL.Path, Query: r.URL.RawQuery, Method: r.Method,
		Body: body, Cookie: r.Header.Get("Cookie")})
	s.mu.Unlock()
}

// collect is a tracker endpoint: it records the request and answers with a
// CORS-enabled 204, except for /collect?nocors, which sends no CORS headers.
func (s *Server) collect(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.record(r, body)
	if _, ok := r.URL.Query()["nocors"]; !ok {
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true}`)
}

// never sends the start of a page and then holds the response open.
func (s *Server) never(w http.ResponseWriter, r *http.Request) {
	s.record(r, nil)
	w.Header().Set("Content-Type", "text/html")
	_, _ = io.WriteString(w, "<!doctype html><title>never</title><p>loading")
	w.(http.Flusher).Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-time.After(200 * time.Millisecond):
			_, _ = io.WriteString(w, ".")
			w.(http.Flusher).Flush()
		}
	}
}

// echo answers each WebSocket message with "echo:" + message, after a hello.
func (s *Server) echo(ws *websocket.Conn) {
	defer ws.Close()
	s.record(ws.Request(), nil)
	if err := websocket.Message.Send(ws, "server-hello"); err != nil {
		return
	}
	for {
		var msg string
		if err := websocket.Message.Receive(ws, &msg); err != nil {
			return
		}
		if err := websocket.Message.Send(ws, "echo:"+msg); err != nil {
			return
		}
	}
}

// file serves the site directory, filling in the port placeholders.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	s.record(r, nil)
	p := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(p, "/") || p == "/" {
		p += "index.html"
	}
	data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(p)))
	if err != nil {
		if st, serr := os.Stat(filepath.Join(s.dir, filepath.FromSlash(p))); serr == nil && st.IsDir() {
			http.Redirect(w, r, p+"/", http.StatusFound)
			return
		}
		http.NotFound(w, r)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	if strings.HasSuffix(p, "sw.js") {
		w.Header().Set("Service-Worker-Allowed", "/")
	}
	text := strings.NewReplacer("{{HTTP}}", s.port(s.HTTP), "{{HTTPS}}", s.port(s.HTTPS)).Replace(string(data))
	_, _ = io.WriteString(w, text)
}

var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// SelfSigned makes a certificate for names (default *.test and localhost)
// and 127.0.0.1, and returns it with the base64 SHA-256 of its public key,
// as Chromium's --ignore-certificate-errors-spki-list wants.
func SelfSigned(names ...string) (tls.Certificate, string, error) {
	if len(names) == 0 {
		names = []string{"*.test", "localhost"}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("generate key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "leakwatch test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		DNSNames:     names,
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("create certificate: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("marshal public key: %w", err)
	}
	sum := sha256.Sum256(pub)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, base64.StdEncoding.EncodeToString(sum[:]), nil
}
