package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/leakwatch/leakwatch/internal/store"
)

type sessionView struct {
	Token tokenView `json:"token"`
	// CSRF is sent back in the X-CSRF-Token header on unsafe requests.
	CSRF string `json:"csrf,omitempty"`
}

// login opens a UI session with an API token's secret.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req LoginRequest
	if err := decodeBody(r, &req); err != nil {
		return err
	}
	secret := strings.TrimSpace(req.Token)
	if secret == "" || len(secret) > 512 {
		return errorf(http.StatusBadRequest, "give the API token to log in with")
	}
	t, err := s.st.Authenticate(r.Context(), secret)
	if errors.Is(err, store.ErrNotFound) {
		if !s.limits.allow("addr:" + clientAddr(r)) { // a wrong guess costs twice
			return tooMany(w)
		}
		return errorf(http.StatusUnauthorized, "unknown or revoked token")
	}
	if err != nil {
		return err
	}
	if old, _, err := s.sessions.fromRequest(r); err == nil && old != nil {
		_ = s.sessions.drop(r.Context(), old.id) // a new login never reuses a session id
	}
	sess, err := s.sessions.create(r.Context(), t.ID)
	if sess == nil {
		return err
	}
	if err != nil {
		s.cfg.Logger.Warn("login", "err", err)
	}
	http.SetCookie(w, sessionCookieFor(sess, s.cfg.SessionTTL, s.secureRequest(r)))
	writeJSON(w, http.StatusOK, sessionView{Token: viewToken(t), CSRF: sess.csrf})
	return nil
}

func (s *Server) session(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	v := sessionView{Token: viewToken(c.token)}
	if c.session != nil {
		v.CSRF = c.session.csrf
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c := callerOf(r); c.session != nil {
		if err := s.sessions.drop(r.Context(), c.session.id); err != nil {
			return err
		}
	}
	http.SetCookie(w, sessionCookieFor(nil, 0, s.secureRequest(r)))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.st.ListTokens(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[tokenView]{Items: mapSlice(ts, viewToken)})
	return nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	var req TokenRequest
	if err := decodeBody(r, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	secret, t, err := s.st.CreateToken(r.Context(), req.Name, store.Role(req.Role))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, struct {
		tokenView
		// Secret is shown once and never stored.
		Secret string `json:"secret"`
	}{viewToken(t), secret})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	if err := s.st.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
