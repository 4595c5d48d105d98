package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/policy"
	"github.com/leakwatch/leakwatch/internal/report"
	"github.com/leakwatch/leakwatch/internal/store"
)

// reportCSP confines a rendered report: it is shown in a sandbox (an
// opaque origin without the session's cookie or the API), may run its own
// inline script and style, and loads nothing from the network.
const reportCSP = "sandbox allow-scripts allow-popups; default-src 'none'; script-src 'unsafe-inline'; " +
	"style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"

// storedReport returns a done scan's report JSON.
func (s *Server) storedReport(r *http.Request, id int64) ([]byte, error) {
	sc, err := s.st.Scan(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if sc.State != store.Done {
		return nil, errorf(http.StatusConflict, "scan %d is %s: only a done scan has a report", id, sc.State)
	}
	return s.st.Report(r.Context(), id)
}

func (s *Server) parsedReport(r *http.Request, id int64) (*audit.Report, error) {
	data, err := s.storedReport(r, id)
	if err != nil {
		return nil, err
	}
	var rep audit.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("scan %d: stored report: %w", id, err)
	}
	if rep.Schema != audit.Schema {
		return nil, fmt.Errorf("scan %d: stored report has schema %q, want %q", id, rep.Schema, audit.Schema)
	}
	return &rep, nil
}

func (s *Server) reportJSON(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	data, err := s.storedReport(r, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(data)
	return err
}

func (s *Server) reportHTML(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	rep, err := s.parsedReport(r, id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, rep, "html", report.Options{Verbose: r.URL.Query().Get("verbose") == "1"}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", reportCSP)
	w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	_, err = w.Write(buf.Bytes())
	return err
}

// evidenceBundle seals a done scan into an evidence zip: its report as
// JSON and HTML, and its HAR when one was stored.
func (s *Server) evidenceBundle(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.scanParam(r)
	if err != nil {
		return err
	}
	rep, err := s.parsedReport(r, sc.ID)
	if err != nil {
		return err
	}
	raw, err := s.st.Report(r.Context(), sc.ID)
	if err != nil {
		return err
	}
	files := []evidence.File{}
	har, err := s.st.HAR(r.Context(), sc.ID)
	switch {
	case err == nil:
		files = append(files, evidence.File{Name: "capture.har", Data: har})
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	var html bytes.Buffer
	if err := report.Render(&html, rep, "html", report.Options{}); err != nil {
		return err
	}
	files = append(files, evidence.File{Name: "report.json", Data: raw}, evidence.File{Name: "report.html", Data: html.Bytes()})
	var zip bytes.Buffer
	b := evidence.Bundle{Files: files, Tool: "leakwatch", Version: s.cfg.Version,
		Command: []string{"leakwatch", "serve"}, Options: []evidence.KV{{Name: "scan", Value: strconv.FormatInt(sc.ID, 10)},
			{Name: "options", Value: string(sc.Options)}},
		Created: sc.Finished, Times: []evidence.KV{{Name: "scan_started", Value: sc.Started.UTC().Format("2006-01-02T15:04:05Z07:00")}}}
	if err := evidence.WriteTo(&zip, b); err != nil {
		return fmt.Errorf("evidence for scan %d: %w", sc.ID, err)
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="leakwatch-scan-%d.zip"`, sc.ID))
	_, err = w.Write(zip.Bytes())
	return err
}

// diff compares two done scans: ?old=ID&new=ID, as JSON or (format=text)
// as text.
func (s *Server) diff(w http.ResponseWriter, r *http.Request) error {
	var ids [2]int64
	for i, name := range []string{"old", "new"} {
		n, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
		if err != nil || n <= 0 {
			return errorf(http.StatusBadRequest, "%s=%q: want a scan id", name, r.URL.Query().Get(name))
		}
		ids[i] = n
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "text" {
		return errorf(http.StatusBadRequest, "format=%q: want json or text", format)
	}
	var reps [2]*audit.Report
	for i, id := range ids {
		rep, err := s.parsedReport(r, id)
		if err != nil {
			return err
		}
		reps[i] = rep
	}
	d := policy.Diff(reps[0], reps[1])
	if format == "text" {
		report.SanitizeAll(d)
		var buf bytes.Buffer
		if err := d.WriteText(&buf); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, err := w.Write(buf.Bytes())
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
