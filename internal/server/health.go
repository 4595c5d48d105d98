package server

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPIDoc)
	return err
}

// healthz says the process serves.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
	return nil
}

// readyz says the store answers and its schema is the one this binary
// knows.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.cfg.Logger.Warn("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": err.Error()})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

func (s *Server) ready(ctx context.Context) error {
	h, ok := store.HandlesOf(s.st)
	if !ok {
		_, err := s.st.ListSites(ctx, store.Page{Limit: 1})
		return err
	}
	var have int
	if err := h.DB.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM leakwatch_migrations").Scan(&have); err != nil {
		return fmt.Errorf("store unreachable: %w", err)
	}
	if want := store.SchemaVersion(); have != want {
		return fmt.Errorf("database schema is at version %d, this leakwatch wants %d", have, want)
	}
	return nil
}
