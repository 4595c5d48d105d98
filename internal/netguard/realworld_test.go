package netguard

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// harHosts reads the request hosts and server addresses of a HAR file,
// gzipped or not.
func harHosts(t *testing.T, path string) (hosts, ips []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	var har struct {
		Log struct {
			Entries []struct {
				Request struct {
					URL string `json:"url"`
				} `json:"request"`
				ServerIPAddress string `json:"serverIPAddress"`
			} `json:"entries"`
		} `json:"log"`
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &har); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, e := range har.Log.Entries {
		if u, err := url.Parse(e.Request.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			hosts = append(hosts, u.Hostname())
		}
		if e.ServerIPAddress != "" {
			ips = append(ips, strings.Trim(e.ServerIPAddress, "[]"))
		}
	}
	return hosts, ips
}

// TestRealCaptures runs the host and address rules over every host and
// server address in the shared real captures: public web traffic must
// pass, or the guard would stop real scans (a false alarm).
func TestRealCaptures(t *testing.T) {
	t.Parallel()
	var files []string
	for _, pat := range []string{"har/*.har", "realworld/*.har.gz"} {
		m, err := filepath.Glob(filepath.Join(sharedtest.Dir(t), pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	seenHost, seenIP := map[string]bool{}, map[string]bool{}
	var refused []string
	p := &Policy{}
	for _, f := range files {
		hosts, ips := harHosts(t, f)
		for _, h := range hosts {
			if seenHost[h] {
				continue
			}
			seenHost[h] = true
			name, addr, err := CanonicalHost(h)
			switch {
			case err != nil:
			case addr.IsValid():
				err = p.CheckAddr(h, netip.AddrPortFrom(addr, 443))
			default:
				err = p.CheckName(name)
			}
			if err != nil {
				refused = append(refused, filepath.Base(f)+": "+err.Error())
			}
		}
		for _, s := range ips {
			if seenIP[s] {
				continue
			}
			seenIP[s] = true
			a, err := netip.ParseAddr(s)
			if err == nil {
				err = p.CheckAddr(s, netip.AddrPortFrom(a, 443))
			}
			if err != nil {
				refused = append(refused, filepath.Base(f)+": server "+err.Error())
			}
		}
	}
	slices.Sort(refused)
	t.Logf("%d captures, %d hosts, %d server addresses, %d refused", len(files), len(seenHost), len(seenIP), len(refused))
	for _, r := range refused {
		t.Error(r)
	}
}
