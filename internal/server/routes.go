package server

import (
	"net/http"
	"strings"

	"github.com/leakwatch/leakwatch/internal/store"
)

// public marks a route anyone may call.
const public store.Role = ""

// handler serves one route; an error it returns is written as a JSON
// error with the status it carries.
type handler func(s *Server, w http.ResponseWriter, r *http.Request) error

// route is one entry of the route table: the only place a route is
// registered, so the OpenAPI document and the role test cover all of them.
type route struct {
	method, path string
	name         string
	role         store.Role // least role needed; public for none
	// addrLimit rate-limits the route per client address (it is called
	// before anyone is known: login).
	addrLimit bool
	handle    handler
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

// routes is the route table.
func routes() []route {
	return []route{
		{method: "GET", path: "/{$}", name: "ui", role: public, handle: (*Server).uiIndex},
		{method: "GET", path: "/ui/{file}", name: "ui_asset", role: public, handle: (*Server).uiAsset},
		{method: "GET", path: "/healthz", name: "healthz", role: public, handle: (*Server).healthz},
		{method: "GET", path: "/readyz", name: "readyz", role: public, handle: (*Server).readyz},
		{method: "GET", path: "/metrics", name: "metrics", role: public, handle: (*Server).serveMetrics},
		{method: "GET", path: "/api/openapi.json", name: "openapi", role: public, handle: (*Server).openAPI},

		{method: "POST", path: "/api/session", name: "login", role: public, addrLimit: true, handle: (*Server).login},
		{method: "GET", path: "/api/session", name: "session", role: store.RoleRead, handle: (*Server).session},
		{method: "DELETE", path: "/api/session", name: "logout", role: store.RoleRead, handle: (*Server).logout},

		{method: "GET", path: "/api/sites", name: "list_sites", role: store.RoleRead, handle: (*Server).listSites},
		{method: "POST", path: "/api/sites", name: "create_site", role: store.RoleScan, handle: (*Server).createSite},
		{method: "GET", path: "/api/sites/{id}", name: "get_site", role: store.RoleRead, handle: (*Server).getSite},
		{method: "PATCH", path: "/api/sites/{id}", name: "update_site", role: store.RoleScan, handle: (*Server).updateSite},
		{method: "DELETE", path: "/api/sites/{id}", name: "delete_site", role: store.RoleAdmin, handle: (*Server).deleteSite},
		{method: "GET", path: "/api/sites/{id}/notifications", name: "list_notifications", role: store.RoleAdmin, handle: (*Server).listNotify},
		{method: "POST", path: "/api/sites/{id}/notifications", name: "add_notification", role: store.RoleAdmin, handle: (*Server).putNotify},
		{method: "PUT", path: "/api/sites/{id}/notifications/{target}", name: "replace_notification", role: store.RoleAdmin, handle: (*Server).putNotify},
		{method: "DELETE", path: "/api/sites/{id}/notifications/{target}", name: "delete_notification", role: store.RoleAdmin, handle: (*Server).deleteNotify},
		{method: "GET", path: "/api/sites/{id}/scans", name: "site_scans", role: store.RoleRead, handle: (*Server).siteScans},

		{method: "GET", path: "/api/scans", name: "list_scans", role: store.RoleRead, handle: (*Server).listScans},
		{method: "POST", path: "/api/scans", name: "submit_scan", role: store.RoleScan, handle: (*Server).submitScan},
		{method: "GET", path: "/api/scans/{id}", name: "get_scan", role: store.RoleRead, handle: (*Server).getScan},
		{method: "POST", path: "/api/scans/{id}/cancel", name: "cancel_scan", role: store.RoleScan, handle: (*Server).cancelScan},
		{method: "GET", path: "/api/scans/{id}/events", name: "scan_events", role: store.RoleRead, handle: (*Server).scanEvents},
		{method: "GET", path: "/api/scans/{id}/report.json", name: "report_json", role: store.RoleRead, handle: (*Server).reportJSON},
		{method: "GET", path: "/api/scans/{id}/report.html", name: "report_html", role: store.RoleRead, handle: (*Server).reportHTML},
		{method: "GET", path: "/api/scans/{id}/evidence", name: "evidence", role: store.RoleRead, handle: (*Server).evidenceBundle},
		{method: "GET", path: "/api/diff", name: "diff", role: store.RoleRead, handle: (*Server).diff},
		{method: "GET", path: "/api/personas", name: "list_personas", role: store.RoleRead, handle: (*Server).listPersonas},
		{method: "PUT", path: "/api/personas/{name}", name: "put_persona", role: store.RoleAdmin, handle: (*Server).putPersona},
		{method: "DELETE", path: "/api/personas/{name}", name: "delete_persona", role: store.RoleAdmin, handle: (*Server).deletePersona},

		{method: "GET", path: "/api/tokens", name: "list_tokens", role: store.RoleAdmin, handle: (*Server).listTokens},
		{method: "POST", path: "/api/tokens", name: "create_token", role: store.RoleAdmin, handle: (*Server).createToken},
		{method: "DELETE", path: "/api/tokens/{id}", name: "revoke_token", role: store.RoleAdmin, handle: (*Server).revokeToken},
	}
}

func methodNotAllowed(methods []string) handler {
	allow := strings.Join(methods, ", ")
	return func(_ *Server, w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Allow", allow)
		return errorf(http.StatusMethodNotAllowed, "%s is not allowed here; use %s", r.Method, allow)
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return errorf(http.StatusNotFound, "no such endpoint: %s %s (see /api/openapi.json)", r.Method, r.URL.Path)
}
