// Package lab owns the demo site: an embedded parcel-delivery service with a
// login, an account page and a tracking page, plus local stand-ins for the
// tracking vendors' script hosts and collectors, all served over HTTPS on
// loopback.
//
// The tags under tags/ are our own work-alikes of the vendors' tags, written
// from docs/pixel-protocols.md; they send the real wire formats to the real
// vendor hostnames, which Chromium reaches through the lab's
// --host-resolver-rules so nothing leaves the machine.
package lab
