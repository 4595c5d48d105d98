package server

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeDrain stops Serve with connections in each state: a socket
// that never sent a request (as browsers preconnect) must not hold up the
// stop past the drain or make it fail; a request still being served when
// the drain ends is cut off and reported.
func TestServeDrain(t *testing.T) {
	const drain = 300 * time.Millisecond
	for _, tc := range []struct {
		name    string
		client  func(t *testing.T, addr, token string) net.Conn
		wantErr string
	}{
		{name: "no connection"},
		{name: "preconnected socket", client: func(t *testing.T, addr, _ string) net.Conn {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}},
		{name: "idle keep-alive", client: func(t *testing.T, addr, _ string) net.Conn {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			buf := make([]byte, 512)
			if _, err := c.Read(buf); err != nil || !strings.HasPrefix(string(buf), "HTTP/1.1 200") {
				t.Fatalf("GET /healthz: %v %q", err, buf)
			}
			return c
		}},
		{name: "request in flight", wantErr: "cut off 1 request(s) still in flight", client: func(t *testing.T, addr, token string) net.Conn {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			// The body is promised but never sent: the handler waits on it.
			fmt.Fprintf(c, "POST /api/sites HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
				"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"url\":", token)
			return c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, stop := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- e.srv.Serve(ctx, ln, drain) }()
			waitServing(t, ln.Addr().String())
			if tc.client != nil {
				c := tc.client(t, ln.Addr().String(), e.tokens["admin"])
				defer c.Close()
				time.Sleep(100 * time.Millisecond) // the server reads what was sent
			}
			start := time.Now()
			stop()
			select {
			case err := <-done:
				took := time.Since(start)
				switch {
				case tc.wantErr == "" && err != nil:
					t.Fatalf("Serve: %v", err)
				case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
					t.Fatalf("Serve: %v, want an error saying %q", err, tc.wantErr)
				case took > drain+2*time.Second:
					t.Fatalf("Serve took %s to stop with a drain of %s", took, drain)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Serve did not return")
			}
		})
	}
}

func waitServing(t *testing.T, addr string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("nothing serves on %s", addr)
}
