package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/leakwatch/leakwatch/internal/store"
)

// checkTarget runs the configured target check on a submitted URL.
func (s *Server) checkTarget(r *http.Request, rawURL string) error {
	if s.cfg.TargetCheck == nil {
		return nil
	}
	if err := s.cfg.TargetCheck(r.Context(), rawURL); err != nil {
		return errorf(http.StatusUnprocessableEntity, "%v (the operator may allow it with --allow-private-targets)", err)
	}
	return nil
}

func (s *Server) submitScan(w http.ResponseWriter, r *http.Request) error {
	var req ScanRequest
	if err := decodeBody(r, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	ctx := r.Context()
	site, err := s.scanSite(r, &req)
	if err != nil {
		return err
	}
	targets := req.URLs
	if req.Steps != "" && s.cfg.StepTargets != nil {
		more, err := s.cfg.StepTargets(req.Steps)
		if err != nil {
			return errorf(http.StatusBadRequest, "steps: %v", err)
		}
		targets = append(slices.Clone(targets), more...)
	}
	for _, u := range targets {
		if err := s.checkTarget(r, u); err != nil {
			return err
		}
	}
	if req.Persona != "" {
		names, err := s.st.ListPersonas(ctx)
		if err != nil {
			return err
		}
		if !slices.Contains(names, req.Persona) {
			return errorf(http.StatusBadRequest, "no persona named %q is stored", req.Persona)
		}
	}
	opts, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encode scan options: %w", err)
	}
	sc, err := s.st.CreateScan(ctx, store.Scan{SiteID: site.ID, State: store.Queued, Consent: req.Consent, Options: opts})
	if err != nil {
		return err
	}
	s.scanChanged(sc.ID, store.Queued)
	if err := s.queue.Enqueue(ctx, sc.ID); err != nil {
		_, _ = s.st.EndScan(context.WithoutCancel(ctx), sc.ID, store.Failed, "could not be queued: "+err.Error())
		return fmt.Errorf("enqueue scan %d: %w", sc.ID, err)
	}
	w.Header().Set("Location", "/api/scans/"+strconv.FormatInt(sc.ID, 10))
	writeJSON(w, http.StatusAccepted, viewScan(sc))
	return nil
}

// scanSite is the site a submission belongs to: the one named, or the one
// of its first URL (created when new). A site's scan without URLs scans the
// site's URL.
func (s *Server) scanSite(r *http.Request, req *ScanRequest) (store.Site, error) {
	ctx := r.Context()
	if req.SiteID != 0 {
		site, err := s.st.Site(ctx, req.SiteID)
		if errors.Is(err, store.ErrNotFound) {
			return site, errorf(http.StatusBadRequest, "no site %d", req.SiteID)
		}
		if err == nil && len(req.URLs) == 0 {
			req.URLs = []string{site.URL}
		}
		return site, err
	}
	if len(req.URLs) == 0 {
		return store.Site{}, nil // steps only: a scan of no stored site
	}
	if err := s.checkTarget(r, req.URLs[0]); err != nil {
		return store.Site{}, err
	}
	site, err := s.st.SiteByURL(ctx, req.URLs[0])
	if errors.Is(err, store.ErrNotFound) {
		site, err = s.st.CreateSite(ctx, store.Site{URL: req.URLs[0]})
		if errors.Is(err, store.ErrConflict) { // created meanwhile
			site, err = s.st.SiteByURL(ctx, req.URLs[0])
		}
	}
	if err == nil {
		req.SiteID = site.ID
	}
	return site, err
}

func (s *Server) listScans(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	state := store.State(r.URL.Query().Get("state"))
	if state != "" && state != store.Queued && state != store.Running && !state.Final() {
		return errorf(http.StatusBadRequest, "state=%q: want queued, running, done, failed or cancelled", state)
	}
	scans, err := s.st.ListScans(r.Context(), state, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[scanView]{Items: mapSlice(scans, viewScan),
		Next: nextAfter(scans, p, func(s store.Scan) int64 { return s.ID })})
	return nil
}

func (s *Server) scanParam(r *http.Request) (store.Scan, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return store.Scan{}, err
	}
	return s.st.Scan(r.Context(), id)
}

func (s *Server) getScan(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.scanParam(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewScan(sc))
	return nil
}

func (s *Server) cancelScan(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.scanParam(r)
	if err != nil {
		return err
	}
	if sc.State.Final() && sc.State != store.Cancelled {
		return errorf(http.StatusConflict, "scan %d is %s already", sc.ID, sc.State)
	}
	was := sc.State
	sc, err = s.st.EndScan(r.Context(), sc.ID, store.Cancelled, "cancelled by "+callerOf(r).token.Name)
	if err != nil {
		return err
	}
	if was != store.Cancelled {
		s.scanChanged(sc.ID, store.Cancelled)
	}
	if err := s.queue.Cancel(r.Context(), sc.ID); err != nil {
		return fmt.Errorf("cancel scan %d: %w", sc.ID, err)
	}
	writeJSON(w, http.StatusOK, viewScan(sc))
	return nil
}
