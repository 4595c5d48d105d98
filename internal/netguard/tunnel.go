package netguard

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

// connect opens a tunnel for a CONNECT request to a checked address.
func (p *Proxy) connect(w http.ResponseWriter, r *http.Request) {
	host, port, err := splitHostPort(r.Host, "")
	if err != nil {
		p.refuse(w, r, r.Host, err)
		return
	}
	addrs, err := p.guard.Resolve(r.Context(), host, port)
	if err != nil {
		p.refuse(w, r, r.Host, err)
		return
	}
	up, ap, err := p.guard.dialChecked(r.Context(), "tcp", addrs)
	if err != nil {
		p.refuse(w, r, r.Host, err)
		return
	}
	p.recordDial(r.Host, ap)
	client, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		_ = up.Close()
		p.refuse(w, r, r.Host, err)
		return
	}
	if !p.track(client, up) {
		return
	}
	defer p.untrack(client, up)
	_ = client.SetDeadline(time.Time{})
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection Established\r\n\r\n"); err != nil {
		return
	}
	// Bytes the client sent after its request line are the tunnel's first.
	if n := rw.Reader.Buffered(); n > 0 {
		b, _ := rw.Reader.Peek(n)
		if _, err := up.Write(b); err != nil {
			return
		}
	}
	p.pipe(client, up)
}

// track registers a tunnel's two ends to be closed by Stop, or closes them
// and reports false when the proxy is stopping.
func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		for _, c := range conns {
			_ = c.Close()
		}
		return false
	}
	for _, c := range conns {
		p.tunnels[c] = struct{}{}
	}
	p.wg.Add(1)
	return true
}

func (p *Proxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
		delete(p.tunnels, c)
	}
	p.wg.Done()
}

// pipe copies both ways until both are done or the tunnel has been idle
// for IdleTimeout in both directions.
func (p *Proxy) pipe(a, b net.Conn) {
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.copyIdle(b, a, &last)
	}()
	p.copyIdle(a, b, &last)
	<-done
}

// copyIdle copies src to dst; a read that times out ends the copy only
// when the other direction has been quiet too. At the end it half-closes
// dst, or closes both on an error.
func (p *Proxy) copyIdle(dst, src net.Conn, last *atomic.Int64) {
	buf := make([]byte, 32<<10)
	idle := p.cfg.IdleTimeout
	for {
		_ = src.SetReadDeadline(time.Now().Add(idle))
		n, err := src.Read(buf)
		if n > 0 {
			last.Store(time.Now().UnixNano())
			_ = dst.SetWriteDeadline(time.Now().Add(idle))
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if errors.Is(err, os.ErrDeadlineExceeded) && time.Since(time.Unix(0, last.Load())) < idle {
			continue
		}
		if errors.Is(err, io.EOF) {
			if cw, ok := dst.(interface{ CloseWrite() error }); ok {
				_ = cw.CloseWrite()
				return
			}
		}
		if err != nil {
			break
		}
	}
	_ = dst.Close()
	_ = src.Close()
}
