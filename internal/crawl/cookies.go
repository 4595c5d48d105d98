package crawl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// LoadCookies reads cookies to inject before the first navigation, from a
// Netscape cookies.txt or a JSON array of {name, value, domain, path, ...}.
func LoadCookies(path string) ([]traffic.Cookie, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read cookies: %w", err)
	}
	cs, err := ParseCookies(data)
	if err != nil {
		return nil, fmt.Errorf("cookies %s: %w", path, err)
	}
	return cs, nil
}

// ParseCookies parses a cookies file, telling JSON from Netscape format by
// its first character.
func ParseCookies(data []byte) ([]traffic.Cookie, error) {
	trim := bytes.TrimSpace(data)
	if len(trim) > 0 && (trim[0] == '[' || trim[0] == '{') {
		return parseJSONCookies(trim)
	}
	return parseNetscape(string(data))
}

type jsonCookie struct {
	Name           string   `json:"name"`
	Value          string   `json:"value"`
	Domain         string   `json:"domain"`
	Path           string   `json:"path"`
	Expires        *float64 `json:"expires"`
	ExpirationDate *float64 `json:"expirationDate"`
	HTTPOnly       bool     `json:"httpOnly"`
	Secure         bool     `json:"secure"`
	SameSite       string   `json:"sameSite"`
}

func parseJSONCookies(data []byte) ([]traffic.Cookie, error) {
	var list []jsonCookie
	if data[0] == '{' {
		// A storage state, as Playwright writes it: {"cookies": [...]}.
		var state struct {
			Cookies []jsonCookie `json:"cookies"`
		}
		if err := json.Unmarshal(data, &state); err != nil {
			return nil, fmt.Errorf("parse JSON cookies: %w", err)
		}
		list = state.Cookies
	} else if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("parse JSON cookies: %w", err)
	}
	out := make([]traffic.Cookie, 0, len(list))
	for i, j := range list {
		c := traffic.Cookie{Name: j.Name, Value: j.Value, Domain: j.Domain, Path: j.Path,
			HTTPOnly: j.HTTPOnly, Secure: j.Secure}
		var err error
		if c.SameSite, err = sameSite(j.SameSite); err != nil {
			return nil, fmt.Errorf("cookie %d: %w", i+1, err)
		}
		exp := j.Expires
		if exp == nil {
			exp = j.ExpirationDate
		}
		if exp != nil && *exp > 0 {
			if c.Expires, err = epoch(*exp); err != nil {
				return nil, fmt.Errorf("cookie %d: %w", i+1, err)
			}
		}
		if err := check(c); err != nil {
			return nil, fmt.Errorf("cookie %d: %w", i+1, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// sameSite normalizes the spellings browsers and extensions export.
func sameSite(s string) (string, error) {
	switch strings.ToLower(s) {
	case "", "unspecified", "no_restriction_unset":
		return "", nil
	case "lax":
		return "Lax", nil
	case "strict":
		return "Strict", nil
	case "none", "no_restriction":
		return "None", nil
	}
	return "", fmt.Errorf("sameSite %q: want Lax, Strict or None", s)
}

func epoch(sec float64) (time.Time, error) {
	if math.IsNaN(sec) || math.IsInf(sec, 0) || sec > 1e11 {
		return time.Time{}, fmt.Errorf("expiry %v is not a Unix time in seconds", sec)
	}
	return time.Unix(int64(sec), 0).UTC(), nil
}

func check(c traffic.Cookie) error {
	switch {
	case c.Name == "":
		return errors.New("name is empty")
	case c.Domain == "":
		return fmt.Errorf("cookie %q has no domain", c.Name)
	case strings.ContainsAny(c.Name, "=; \t\r\n"):
		return fmt.Errorf("cookie name %q has a forbidden character", c.Name)
	case strings.ContainsAny(c.Value, ";\r\n"):
		return fmt.Errorf("cookie %q value has a forbidden character", c.Name)
	}
	return nil
}

// parseNetscape reads the cookies.txt format: seven tab-separated fields
// (domain, include-subdomains, path, secure, expiry, name, value), with
// "#HttpOnly_" marking HTTP-only cookies.
func parseNetscape(text string) ([]traffic.Cookie, error) {
	var out []traffic.Cookie
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		httpOnly := false
		if strings.HasPrefix(line, "#HttpOnly_") {
			line, httpOnly = strings.TrimPrefix(line, "#HttpOnly_"), true
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("line %d: want 7 tab-separated fields (Netscape cookies.txt), got %d", n+1, len(f))
		}
		c := traffic.Cookie{Domain: f[0], Path: f[2], Secure: strings.EqualFold(f[3], "TRUE"),
			Name: f[5], Value: f[6], HTTPOnly: httpOnly}
		exp, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: expiry %q is not a number", n+1, f[4])
		}
		if exp > 0 {
			if c.Expires, err = epoch(exp); err != nil {
				return nil, fmt.Errorf("line %d: %w", n+1, err)
			}
		}
		if err := check(c); err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		out = append(out, c)
	}
	return out, nil
}
