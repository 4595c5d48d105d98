package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/leakwatch/leakwatch/internal/store"
)

// page reads ?limit= and ?after= for a listing.
func page(r *http.Request) (store.Page, error) {
	var p store.Page
	q := r.URL.Query()
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return p, errorf(http.StatusBadRequest, "after=%q is not a non-negative integer", v)
		}
		p.After = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxLimit {
			return p, errorf(http.StatusBadRequest, "limit=%q: want 1 to %d", v, store.MaxLimit)
		}
		p.Limit = n
	}
	return p, nil
}

func nextAfter[T any](items []T, p store.Page, id func(T) int64) int64 {
	limit := p.Limit
	if limit == 0 {
		limit = store.DefaultLimit
	}
	if len(items) < limit || len(items) == 0 {
		return 0
	}
	return id(items[len(items)-1])
}

func (s *Server) listSites(w http.ResponseWriter, r *http.Request) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	sites, err := s.st.ListSites(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[siteView]{Items: mapSlice(sites, viewSite),
		Next: nextAfter(sites, p, func(s store.Site) int64 { return s.ID })})
	return nil
}

func (s *Server) readSiteRequest(r *http.Request) (SiteRequest, error) {
	var req SiteRequest
	if err := decodeBody(r, &req); err != nil {
		return req, err
	}
	if err := req.check(); err != nil {
		return req, err
	}
	if req.URL != nil {
		if err := s.checkTarget(r, *req.URL); err != nil {
			return req, err
		}
	}
	return req, nil
}

func (s *Server) createSite(w http.ResponseWriter, r *http.Request) error {
	req, err := s.readSiteRequest(r)
	if err != nil {
		return err
	}
	if req.URL == nil {
		return errorf(http.StatusBadRequest, "a site needs a url")
	}
	site := store.Site{URL: *req.URL}
	applySite(&site, req)
	site, err = s.st.CreateSite(r.Context(), site)
	if errors.Is(err, store.ErrConflict) {
		return errorf(http.StatusConflict, "a site with this URL exists")
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/sites/"+strconv.FormatInt(site.ID, 10))
	writeJSON(w, http.StatusCreated, viewSite(site))
	return nil
}

func applySite(site *store.Site, req SiteRequest) {
	if req.Name != nil {
		site.Name = *req.Name
	}
	if req.Schedule != nil {
		site.Schedule = *req.Schedule
	}
	if req.Baseline != nil {
		site.Baseline = *req.Baseline
	}
}

func (s *Server) getSite(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	site, err := s.st.Site(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewSite(site))
	return nil
}

func (s *Server) updateSite(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	req, err := s.readSiteRequest(r)
	if err != nil {
		return err
	}
	if req.URL != nil {
		return errorf(http.StatusBadRequest, "a site's url cannot change; create a new site")
	}
	site, err := s.st.Site(r.Context(), id)
	if err != nil {
		return err
	}
	applySite(&site, req)
	site, err = s.st.UpdateSite(r.Context(), site)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewSite(site))
	return nil
}

func (s *Server) deleteSite(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	if err := s.st.DeleteSite(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) siteScans(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	p, err := page(r)
	if err != nil {
		return err
	}
	if _, err := s.st.Site(r.Context(), id); err != nil {
		return err
	}
	scans, err := s.st.History(r.Context(), id, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[scanView]{Items: mapSlice(scans, viewScan),
		Next: nextAfter(scans, p, func(s store.Scan) int64 { return s.ID })})
	return nil
}
