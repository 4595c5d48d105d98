package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/policy"
)

// Request bodies the API takes. Unknown fields are refused, so a typo is
// an error rather than a silently ignored option.

// ScanRequest is a scan submission, stored as the scan's options.
type ScanRequest struct {
	// SiteID attaches the scan to a stored site; 0 finds or creates the
	// site of the first URL.
	SiteID int64    `json:"site_id,omitempty"`
	URLs   []string `json:"urls,omitempty"`
	// Persona names a stored persona typed into forms and searched for.
	Persona string `json:"persona,omitempty"`
	// Steps is a steps file's content (JSON or YAML) for the crawler.
	Steps string `json:"steps,omitempty"`
	// Policy is a policy file's content (YAML or JSON) the report is held to.
	Policy string `json:"policy,omitempty"`
	// Consent is none, reject or accept; empty leaves banners alone.
	Consent string `json:"consent,omitempty"`
}

// Limits of a scan request.
const (
	MaxScanURLs  = 20
	MaxTextField = 64 << 10
	maxName      = 200
)

// consentModes are the consent modes a scan takes.
var consentModes = []string{"", "none", "reject", "accept"}

// SiteRequest creates or changes a site; absent fields are left as they
// are on update.
type SiteRequest struct {
	URL      *string `json:"url,omitempty"`
	Name     *string `json:"name,omitempty"`
	Schedule *string `json:"schedule,omitempty"`
	Baseline *int64  `json:"baseline,omitempty"`
}

// TokenRequest creates an API token.
type TokenRequest struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// LoginRequest opens a UI session with an API token.
type LoginRequest struct {
	Token string `json:"token"`
}

// decodeJSON reads exactly one JSON object into v, refusing unknown
// fields and trailing data. The body is already size-limited.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return errorf(http.StatusBadRequest, "request body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(http.StatusBadRequest, "request body: more than one JSON value")
	}
	return nil
}

func decodeBody(r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errorf(http.StatusUnsupportedMediaType, "send application/json, not %s", ct)
	}
	return decodeJSON(r.Body, v)
}

// DecodeScanRequest reads and checks a scan submission (without the target
// check, which needs the server's configuration).
func DecodeScanRequest(data []byte) (ScanRequest, error) {
	var req ScanRequest
	if err := decodeJSON(bytes.NewReader(data), &req); err != nil {
		return req, err
	}
	return req, req.check()
}

func (req *ScanRequest) check() error {
	if len(req.URLs) > MaxScanURLs {
		return errorf(http.StatusBadRequest, "at most %d URLs a scan, got %d", MaxScanURLs, len(req.URLs))
	}
	if req.SiteID < 0 {
		return errorf(http.StatusBadRequest, "site_id %d is negative", req.SiteID)
	}
	if len(req.URLs) == 0 && req.SiteID == 0 && req.Steps == "" {
		return errorf(http.StatusBadRequest, "give urls, a site_id or steps")
	}
	for _, u := range req.URLs {
		if _, err := parseTarget(u); err != nil {
			return errorf(http.StatusBadRequest, "%v", err)
		}
	}
	for _, f := range []struct{ name, v string }{{"steps", req.Steps}, {"policy", req.Policy}} {
		if len(f.v) > MaxTextField || !utf8.ValidString(f.v) {
			return errorf(http.StatusBadRequest, "%s must be UTF-8 text of at most %d bytes", f.name, MaxTextField)
		}
	}
	if err := checkName("persona", req.Persona, true); err != nil {
		return err
	}
	if !slices.Contains(consentModes, req.Consent) {
		return errorf(http.StatusBadRequest, "consent %q: want none, reject or accept", req.Consent)
	}
	if req.Policy != "" {
		if _, err := policy.Parse([]byte(req.Policy), "policy"); err != nil {
			return errorf(http.StatusBadRequest, "policy: %v", err)
		}
	}
	return nil
}

// checkName refuses names that are too long, not UTF-8, or hold control
// characters.
func checkName(field, v string, emptyOK bool) error {
	if v == "" && emptyOK {
		return nil
	}
	if v == "" || len(v) > maxName || !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return errorf(http.StatusBadRequest, "%s must be 1 to %d printable characters", field, maxName)
	}
	return nil
}

// DecodeSiteRequest reads a site creation or change.
func DecodeSiteRequest(data []byte) (SiteRequest, error) {
	var req SiteRequest
	if err := decodeJSON(bytes.NewReader(data), &req); err != nil {
		return req, err
	}
	return req, req.check()
}

func (req *SiteRequest) check() error {
	if req.URL != nil {
		if _, err := parseTarget(*req.URL); err != nil {
			return errorf(http.StatusBadRequest, "%v", err)
		}
	}
	if req.Name != nil {
		if err := checkName("name", *req.Name, true); err != nil {
			return err
		}
	}
	if req.Schedule != nil {
		if err := checkSchedule(*req.Schedule); err != nil {
			return err
		}
	}
	if req.Baseline != nil && *req.Baseline < 0 {
		return errorf(http.StatusBadRequest, "baseline %d is negative", *req.Baseline)
	}
	return nil
}

// checkSchedule accepts an empty schedule or five (or six, with seconds)
// cron fields, or a @descriptor; the scheduler parses it in full.
func checkSchedule(s string) error {
	if s == "" {
		return nil
	}
	if len(s) > maxName || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r > 0x7e }) {
		return errorf(http.StatusBadRequest, "schedule must be printable ASCII of at most %d characters", maxName)
	}
	if strings.HasPrefix(s, "@") {
		return nil
	}
	if n := len(strings.Fields(s)); n != 5 && n != 6 {
		return errorf(http.StatusBadRequest, "schedule %q: want a cron expression of 5 fields (minute hour day month weekday)", s)
	}
	return nil
}

// DecodeTokenRequest reads a token creation.
func DecodeTokenRequest(data []byte) (TokenRequest, error) {
	var req TokenRequest
	if err := decodeJSON(bytes.NewReader(data), &req); err != nil {
		return req, err
	}
	return req, req.check()
}

func (req *TokenRequest) check() error {
	if err := checkName("name", req.Name, false); err != nil {
		return err
	}
	if !slices.Contains([]string{"read", "scan", "admin"}, req.Role) {
		return errorf(http.StatusBadRequest, "role %q: want read, scan or admin", req.Role)
	}
	return nil
}
