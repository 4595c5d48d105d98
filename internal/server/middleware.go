package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/leakwatch/leakwatch/internal/store"
)

// httpError is an error with the status to answer it with.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errorf(status int, format string, a ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, a...)}
}

// caller is who made a request.
type caller struct {
	token   store.Token
	session *session // nil for a bearer token
}

type callerKey struct{}

func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap applies the route's limits and auth around its handler, writes its
// error, and counts the request.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		w := &statusWriter{ResponseWriter: rw}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		c, err := s.admit(w, r, rt)
		if err == nil {
			r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
			err = rt.handle(s, w, r)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
		d := s.cfg.Now().Sub(start)
		s.metrics.request(rt.name, w.status, d)
		s.cfg.Logger.Debug("request", "method", r.Method, "route", rt.name, "status", w.status,
			"duration_ms", d.Milliseconds(), "token", callerOf(r).token.ID)
	})
}

// admit checks cross-origin protection, rate limits and the caller's role,
// and puts the caller in the request's context.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, rt route) (caller, error) {
	if err := s.csrf.Check(r); err != nil {
		return caller{}, errorf(http.StatusForbidden, "cross-origin request refused: %v", err)
	}
	if rt.addrLimit && !s.limits.allow("addr:"+clientAddr(r)) {
		return caller{}, tooMany(w)
	}
	if rt.role == public {
		return caller{}, nil
	}
	c, err := s.authenticate(r)
	if err != nil {
		// Failed guesses spend the address's bucket.
		if !s.limits.allow("addr:" + clientAddr(r)) {
			return caller{}, tooMany(w)
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="leakwatch"`)
		return caller{}, err
	}
	if !s.limits.allow(fmt.Sprintf("token:%d", c.token.ID)) {
		return caller{}, tooMany(w)
	}
	if !c.token.Role.Allows(rt.role) {
		return caller{}, errorf(http.StatusForbidden, "this needs the %s role; the token %q has %s", rt.role, c.token.Name, c.token.Role)
	}
	return c, nil
}

func tooMany(w http.ResponseWriter) error {
	w.Header().Set("Retry-After", "1")
	return errorf(http.StatusTooManyRequests, "rate limit exceeded: slow down")
}

// authenticate finds the caller: a bearer token, or a login session whose
// token is still live, with its CSRF token on unsafe methods.
func (s *Server) authenticate(r *http.Request) (caller, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(secret) == "" {
			return caller{}, errorf(http.StatusUnauthorized, "Authorization must be \"Bearer TOKEN\"")
		}
		t, err := s.st.Authenticate(ctx, strings.TrimSpace(secret))
		if err != nil {
			return caller{}, s.authError(err)
		}
		return caller{token: t}, nil
	}
	sess, t, err := s.sessions.fromRequest(r)
	if err != nil {
		return caller{}, err
	}
	if sess == nil {
		return caller{}, errorf(http.StatusUnauthorized, "log in, or send Authorization: Bearer TOKEN")
	}
	if !safeMethod(r.Method) {
		got := r.Header.Get(csrfHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.csrf)) != 1 {
			return caller{}, errorf(http.StatusForbidden, "missing or wrong %s header", csrfHeader)
		}
	}
	return caller{token: t, session: sess}, nil
}

func (s *Server) authError(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusUnauthorized, "unknown or revoked token")
	}
	return fmt.Errorf("authenticate: %w", err)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// clientAddr is the request's peer address without its port. Forwarded
// headers are not trusted: behind a proxy, limits apply to the proxy.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// writeError answers err with its status and a JSON body; errors not made
// for the client are logged and answered 500 without detail.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.classify(err)
	if status >= 500 {
		s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if w.(*statusWriter).status != 0 {
		return // a streamed body was already started
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Server) classify(err error) (int, string) {
	var he *httpError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he.status, he.msg
	case errors.As(err, &mb):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", mb.Limit)
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "not found"
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, err.Error()
	case errors.Is(err, store.ErrInvalid):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "request cancelled"
	}
	return http.StatusInternalServerError, "internal error (logged)"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// securityHeaders sets the headers every answer carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// idParam reads the {id} path value.
func idParam(r *http.Request, name string) (int64, error) {
	var id int64
	if _, err := fmt.Sscan(r.PathValue(name), &id); err != nil || id <= 0 || fmt.Sprint(id) != r.PathValue(name) {
		return 0, errorf(http.StatusBadRequest, "%s %q is not a positive integer", name, r.PathValue(name))
	}
	return id, nil
}
