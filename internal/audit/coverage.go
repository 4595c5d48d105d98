package audit

import (
	"fmt"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// add counts one request into the coverage.
func (c *Coverage) add(r *traffic.Request) {
	switch strings.ToUpper(r.Method) {
	case "POST", "PUT", "PATCH":
		c.BodyRequests++
		if len(r.Body) > 0 || len(r.Params) > 0 || r.Headers.Get("Content-Length") == "0" {
			c.BodiesRecorded++
		}
	}
	if r.Response != nil && r.Response.Status > 0 {
		c.Responses++
		if len(r.Response.Body) > 0 || r.Response.BodySize == 0 {
			c.ResponseBodies++
		}
	}
	if len(r.WebSocket) > 0 || strings.EqualFold(r.ResourceType, "websocket") {
		c.WebSockets++
		c.WebSocketFrames += len(r.WebSocket)
	}
}

// bodyWarning says what cannot be seen when the exporter dropped request
// bodies, and how to get a complete capture.
func (c Coverage) bodyWarning(creator string) string {
	missing := c.BodyRequests - c.BodiesRecorded
	if missing <= 0 {
		return ""
	}
	by := "the exporter"
	if creator != "" {
		by = "the exporter (" + creator + ")"
	}
	return fmt.Sprintf("%d of %d POST/PUT/PATCH request bodies were not recorded: %s dropped them, so data "+
		"sent in them cannot be seen. For a complete capture run `leakwatch scan`, or export with content "+
		"(Chrome DevTools: \"Save all as HAR (with content)\"; Playwright: recordHar with content \"embed\").",
		missing, c.BodyRequests, by)
}

// websocketWarning is set when connections were opened but no frame kept.
func (c Coverage) websocketWarning() string {
	if c.WebSockets == 0 || c.WebSocketFrames > 0 {
		return ""
	}
	return fmt.Sprintf("%d WebSocket connection(s) but no frame recorded: what they carried cannot be seen",
		c.WebSockets)
}
