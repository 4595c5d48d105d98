package server

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// The request decoders read outside input: whatever they are given, they
// return a request that passes its own checks or an error the client sees
// as 4xx, never a panic.

func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	var he *httpError
	if err != nil && !errors.As(err, &he) {
		t.Fatalf("error %v is not a client error", err)
	}
	if he != nil && (he.status < 400 || he.status > 499) {
		t.Fatalf("status %d for a bad request", he.status)
	}
}

func FuzzDecodeScanRequest(f *testing.F) {
	for _, s := range []string{`{"urls":["https://a.example/"]}`, `{"site_id":3,"consent":"reject","persona":"jane"}`,
		`{"urls":["http://0x7f.1/"],"policy":"fail_on: [leak]"}`, `{"steps":"- goto: https://a.example/"}`, `[]`, `{"urls":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeScanRequest(data)
		checkDecodeError(t, err)
		if err != nil {
			return
		}
		if len(req.URLs) > MaxScanURLs {
			t.Fatalf("%d URLs accepted", len(req.URLs))
		}
		for _, u := range req.URLs {
			_ = CheckLiteralTarget(context.Background(), u) // must not panic
		}
		// What is stored as the scan's options reads back the same.
		js, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeScanRequest(js)
		if err != nil {
			t.Fatalf("stored options %s do not decode: %v", js, err)
		}
		if len(back.URLs) != len(req.URLs) || back.Policy != req.Policy || back.Steps != req.Steps {
			t.Fatalf("round trip changed %+v to %+v", req, back)
		}
	})
}

func FuzzDecodeSiteRequest(f *testing.F) {
	for _, s := range []string{`{"url":"https://a.example/","schedule":"0 3 * * *"}`, `{"name":"x","baseline":2}`, `{"schedule":"@daily"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := DecodeSiteRequest(data)
		checkDecodeError(t, err)
	})
}

func FuzzDecodeTokenRequest(f *testing.F) {
	for _, s := range []string{`{"name":"ci","role":"read"}`, `{"name":"","role":"admin"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeTokenRequest(data)
		checkDecodeError(t, err)
		if err == nil && req.Role != "read" && req.Role != "scan" && req.Role != "admin" {
			t.Fatalf("role %q accepted", req.Role)
		}
	})
}

func FuzzCheckLiteralTarget(f *testing.F) {
	for _, s := range []string{"http://127.1/", "http://[::ffff:7f00:1]/", "https://example.com/", "http://0x7f.0.0.1./"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := CheckLiteralTarget(context.Background(), raw)
		if err == nil {
			u, perr := parseTarget(raw)
			if perr != nil {
				t.Fatalf("%q accepted but malformed: %v", raw, perr)
			}
			if a, ok := hostAddr(u.Hostname()); ok && refusedAddr(a) != "" {
				t.Fatalf("%q accepted with refused address %v", raw, a)
			}
		}
	})
}
