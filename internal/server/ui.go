package server

import (
	"embed"
	"mime"
	"net/http"
	"path"
)

//go:embed ui
var uiFiles embed.FS

func (s *Server) uiIndex(w http.ResponseWriter, r *http.Request) error {
	return serveUI(w, "index.html")
}

func (s *Server) uiAsset(w http.ResponseWriter, r *http.Request) error {
	return serveUI(w, r.PathValue("file"))
}

func serveUI(w http.ResponseWriter, name string) error {
	data, err := uiFiles.ReadFile(path.Join("ui", path.Clean("/" + name)[1:]))
	if err != nil || name == "" {
		return errorf(http.StatusNotFound, "no such file")
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-cache")
	_, err = w.Write(data)
	return err
}
