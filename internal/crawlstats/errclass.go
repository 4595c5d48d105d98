package crawlstats

import "strings"

// errorClasses sort a failed site's error into a class, first match wins:
// each lists substrings of Chromium's net error names (net::ERR_…), Go's
// network errors and the crawl's own messages, compared in lower case.
var errorClasses = []struct {
	class string
	any   []string
}{
	{"dns", []string{"err_name_not_resolved", "err_name_resolution_failed", "no such host", "server misbehaving", "err_dns_"}},
	{"tls", []string{"err_cert_", "err_ssl_", "err_bad_ssl", "tls:", "x509:", "certificate"}},
	{"refused", []string{"err_connection_refused", "connection refused"}},
	{"reset", []string{"err_connection_reset", "err_connection_closed", "err_empty_response", "connection reset",
		"err_connection_aborted", "broken pipe"}},
	{"unreachable", []string{"err_address_unreachable", "err_internet_disconnected", "err_network_changed",
		"network is unreachable", "no route to host", "err_connection_failed"}},
	{"redirects", []string{"err_too_many_redirects", "stopped after 10 redirects", "too many redirects"}},
	{"blocked", []string{"err_blocked_by", "private address", "not a public address", "refused to visit", "robots.txt"}},
	{"http", []string{"err_http_response_code_failure", "err_invalid_response", "http status", "status code"}},
	{"timeout", []string{"err_timed_out", "err_connection_timed_out", "deadline exceeded", "timed out", "timeout", "time budget"}},
	{"browser", []string{"target crashed", "browser exited", "chromium", "chrome", "devtools", "cdp", "websocket: close", "err_aborted"}},
	{"cancelled", []string{"context canceled", "cancelled", "canceled", "interrupted"}},
}

// ErrorClass sorts a failed site's error text into a class for the
// statistics: "dns", "tls", "refused", "reset", "unreachable",
// "redirects", "blocked", "http", "timeout", "browser", "cancelled",
// "other", or "unknown" when there is no text.
func ErrorClass(msg string) string {
	m := strings.ToLower(strings.TrimSpace(msg))
	if m == "" {
		return "unknown"
	}
	for _, c := range errorClasses {
		for _, s := range c.any {
			if strings.Contains(m, s) {
				return c.class
			}
		}
	}
	return "other"
}
