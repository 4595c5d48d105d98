package fleet

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// ErrSites says a sites file cannot be read as a list of sites.
var ErrSites = errors.New("bad sites file")

// Site is one site of a run: its start URL, normalised, and its rank in
// the list it came from (0 when the list has none).
type Site struct {
	URL  string
	Rank int
}

// maxLine bounds one line of a sites file.
const maxLine = 8 << 10

// ParseSites reads a sites file: one URL or domain per line, '#' starting
// a comment line, or a Tranco-style CSV of "rank,domain" lines (a header
// line is skipped). Domains become https://domain/; URLs keep their path
// and query. Sites are normalised and listed once, at their first line.
func ParseSites(r io.Reader) ([]Site, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var (
		out  []Site
		seen = map[string]bool{}
		n    int
	)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, skip, err := parseLine(line, len(out) == 0 && n <= 2)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrSites, n, err)
		}
		if skip || seen[s.URL] {
			continue
		}
		seen[s.URL] = true
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: after line %d: %w", ErrSites, n, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no sites in it", ErrSites)
	}
	return out, nil
}

// parseLine reads one line; skip is true for a CSV header, which may only
// come first.
func parseLine(line string, first bool) (s Site, skip bool, err error) {
	rank := 0
	if head, rest, ok := strings.Cut(line, ","); ok && !strings.Contains(head, "/") {
		r, err := strconv.Atoi(strings.TrimSpace(head))
		switch {
		case err != nil && first:
			return Site{}, true, nil // "rank,domain"
		case err != nil || r < 1:
			return Site{}, false, fmt.Errorf("%q: a CSV line must be rank,domain with a positive rank", line)
		}
		rank, line = r, strings.TrimSpace(rest)
		if i := strings.IndexByte(line, ','); i >= 0 { // extra columns
			line = strings.TrimSpace(line[:i])
		}
	}
	u, err := NormalizeSite(line)
	if err != nil {
		return Site{}, false, err
	}
	return Site{URL: u, Rank: rank}, false, nil
}

// NormalizeSite turns a domain or an http(s) URL into the start URL a run
// keys the site by: scheme and host lower case (IDNA to ASCII), no default
// port, no fragment, "/" for an empty path.
func NormalizeSite(s string) (string, error) {
	raw := s
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL or domain: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%q: only http and https sites can be crawled", raw)
	}
	if u.User != nil || u.Opaque != "" {
		return "", fmt.Errorf("%q: a site URL may not carry credentials", raw)
	}
	host, err := normalizeHost(u.Hostname())
	if err != nil {
		return "", fmt.Errorf("%q: %w", raw, err)
	}
	port := u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	u.Host = host
	if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	return u.String(), nil
}

func normalizeHost(h string) (string, error) {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "" {
		return "", errors.New("no host")
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.String(), nil
	}
	a, err := idna.Lookup.ToASCII(h)
	if err != nil {
		return "", fmt.Errorf("host %q: %w", h, err)
	}
	labels := strings.Split(a, ".")
	if (len(labels) < 2 && a != "localhost") || len(a) > 253 {
		return "", fmt.Errorf("host %q is not a domain name", h)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			return "", fmt.Errorf("host %q is not a domain name", h)
		}
	}
	return a, nil
}
