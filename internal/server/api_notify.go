package server

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// NotifyRequest adds or replaces a site's notification target. The URL,
// secret and addresses are stored encrypted and never returned.
type NotifyRequest struct {
	// Kind is webhook (JSON, HMAC-signed with Secret), slack (a
	// Slack-compatible incoming webhook) or email (email-ready text for
	// Emails, written to the server's outbox).
	Kind   string   `json:"kind"`
	URL    string   `json:"url,omitempty"`
	Secret string   `json:"secret,omitempty"`
	Emails []string `json:"emails,omitempty"`
}

// Limits of a notification target.
const (
	maxEmails        = 20
	maxSecret        = 256
	minSecret        = 16
	maxNotifyURL     = 2048
	maxNotifyPerSite = 20
)

// notifyView is a target as the API shows it: no URL path, secret or
// anything that would let a reader post as the service.
type notifyView struct {
	ID      int64     `json:"id"`
	SiteID  int64     `json:"site_id"`
	Kind    string    `json:"kind"`
	Label   string    `json:"label"`
	Signed  bool      `json:"signed"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

func viewNotify(t store.NotifyTarget) notifyView {
	return notifyView{ID: t.ID, SiteID: t.SiteID, Kind: string(t.Kind), Label: t.Label, Signed: t.Signed,
		Created: t.Created.UTC(), Updated: t.Updated.UTC()}
}

func (s *Server) listNotify(w http.ResponseWriter, r *http.Request) error {
	site, err := s.siteParam(r)
	if err != nil {
		return err
	}
	ts, err := s.st.ListNotifyTargets(r.Context(), site.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[notifyView]{Items: mapSlice(ts, viewNotify)})
	return nil
}

func (s *Server) siteParam(r *http.Request) (store.Site, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return store.Site{}, err
	}
	return s.st.Site(r.Context(), id)
}

// putNotify adds a target (POST) or replaces one (PUT .../{target}).
func (s *Server) putNotify(w http.ResponseWriter, r *http.Request) error {
	site, err := s.siteParam(r)
	if err != nil {
		return err
	}
	var tid int64
	if r.PathValue("target") != "" {
		if tid, err = idParam(r, "target"); err != nil {
			return err
		}
	}
	var req NotifyRequest
	if err := decodeBody(r, &req); err != nil {
		return err
	}
	t, err := s.checkNotify(r, req)
	if err != nil {
		return err
	}
	t.ID, t.SiteID = tid, site.ID
	if tid == 0 {
		have, err := s.st.ListNotifyTargets(r.Context(), site.ID)
		if err != nil {
			return err
		}
		if len(have) >= maxNotifyPerSite {
			return errorf(http.StatusConflict, "site %d has %d notification targets already, the most allowed", site.ID, len(have))
		}
	}
	out, err := s.st.PutNotifyTarget(r.Context(), t)
	if errors.Is(err, store.ErrNoKey) {
		return errorf(http.StatusConflict, "%v, then restart the service", err)
	}
	if err != nil {
		return err
	}
	status := http.StatusOK
	if tid == 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, viewNotify(out))
	return nil
}

// checkNotify validates a target request: a webhook URL passes the same
// address check as a scan's URL (no private address unless allowed).
func (s *Server) checkNotify(r *http.Request, req NotifyRequest) (store.NotifyTarget, error) {
	t := store.NotifyTarget{Kind: store.NotifyKind(req.Kind)}
	switch t.Kind {
	case store.NotifyWebhook, store.NotifySlack:
		if len(req.Emails) > 0 {
			return t, errorf(http.StatusBadRequest, "a %s target has a URL, not emails", req.Kind)
		}
		if len(req.URL) > maxNotifyURL || !strings.HasPrefix(req.URL, "https://") && !strings.HasPrefix(req.URL, "http://") {
			return t, errorf(http.StatusBadRequest, "url: want an http(s) URL of at most %d bytes", maxNotifyURL)
		}
		if err := s.checkTarget(r, req.URL); err != nil {
			return t, err
		}
		if t.Kind == store.NotifySlack && req.Secret != "" {
			return t, errorf(http.StatusBadRequest, "a slack target is not signed: drop the secret")
		}
		if req.Secret != "" && (len(req.Secret) < minSecret || len(req.Secret) > maxSecret) {
			return t, errorf(http.StatusBadRequest, "secret: want %d to %d bytes", minSecret, maxSecret)
		}
		t.URL, t.Secret = req.URL, []byte(req.Secret)
	case store.NotifyEmail:
		if req.URL != "" || req.Secret != "" {
			return t, errorf(http.StatusBadRequest, "an email target has emails only")
		}
		if len(req.Emails) == 0 || len(req.Emails) > maxEmails {
			return t, errorf(http.StatusBadRequest, "emails: give 1 to %d addresses", maxEmails)
		}
		for _, e := range req.Emails {
			a, err := mail.ParseAddress(e)
			if err != nil || a.Name != "" || a.Address != e || len(e) > 254 {
				return t, errorf(http.StatusBadRequest, "emails: %q is not a bare address (name@domain)", e)
			}
			t.Emails = append(t.Emails, a.Address)
		}
	default:
		return t, errorf(http.StatusBadRequest, "kind %q: want webhook, slack or email", req.Kind)
	}
	if len(t.Secret) == 0 {
		t.Secret = nil
	}
	return t, nil
}

func (s *Server) deleteNotify(w http.ResponseWriter, r *http.Request) error {
	site, err := s.siteParam(r)
	if err != nil {
		return err
	}
	tid, err := idParam(r, "target")
	if err != nil {
		return err
	}
	if err := s.st.DeleteNotifyTarget(r.Context(), site.ID, tid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
