package server

import (
	"errors"
	"io"
	"net/http"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/store"
)

func (s *Server) listPersonas(w http.ResponseWriter, r *http.Request) error {
	names, err := s.st.ListPersonas(r.Context())
	if err != nil {
		return err
	}
	if names == nil {
		names = []string{}
	}
	writeJSON(w, http.StatusOK, map[string][]string{"items": names})
	return nil
}

// putPersona stores a persona file (YAML or JSON, as --persona takes)
// under a name, encrypted; it is never shown again, only used by scans.
func (s *Server) putPersona(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if err := checkName("name", name, false); err != nil {
		return err
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	ps, err := leak.ParsePersonas(data, name)
	if err != nil {
		return errorf(http.StatusBadRequest, "persona: %v", err)
	}
	if len(ps) == 0 {
		return errorf(http.StatusBadRequest, "persona %s holds no value", name)
	}
	if err := s.st.PutPersona(r.Context(), name, data); err != nil {
		if errors.Is(err, store.ErrNoKey) {
			return errorf(http.StatusConflict, "%v, then restart the service", err)
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) deletePersona(w http.ResponseWriter, r *http.Request) error {
	if err := s.st.DeletePersona(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
