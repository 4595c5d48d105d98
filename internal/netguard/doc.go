// Package netguard keeps scans from reaching the scanning machine's own
// network: an address and host-name policy, a guarded dialer and a local
// forward proxy that Chromium is pointed at, checking every connection at
// the moment it is made (so redirects and DNS rebinding cannot get around
// it).
package netguard
