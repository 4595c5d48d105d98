// Package traffic is the one model of a site visit that every source produces:
// pages, requests with their responses, WebSocket frames, cookies and storage.
//
// A HAR file and a live Chromium scan reach the analysis as the same types.
// Sources that must bound their memory deliver a capture piece by piece to a
// Visitor instead of building a whole Capture.
package traffic
