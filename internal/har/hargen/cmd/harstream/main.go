// Command harstream reads HAR files with har.Stream and a visitor that keeps
// nothing, and prints entries, bytes and time: a measure of the reader alone.
// Run it under /usr/bin/time -v for peak memory:
//
//	go build -o /tmp/harstream ./internal/har/hargen/cmd/harstream
//	/usr/bin/time -v /tmp/harstream /tmp/big.har
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

type counter struct {
	pages, requests int
	bodyBytes       int64
	warnings        []string
}

func (c *counter) Page(*traffic.Page) error { c.pages++; return nil }

func (c *counter) Request(r *traffic.Request) error {
	c.requests++
	c.bodyBytes += int64(len(r.Body))
	if r.Response != nil {
		c.bodyBytes += int64(len(r.Response.Body))
	}
	return nil
}

func (c *counter) End(end *traffic.Capture) error { c.warnings = end.Warnings; return nil }

// countingReader counts the bytes the reader consumed.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func main() {
	status := 0
	for _, path := range os.Args[1:] {
		if err := measure(path); err != nil {
			fmt.Fprintln(os.Stderr, "harstream:", err)
			status = 1
		}
	}
	os.Exit(status)
}

func measure(path string) error {
	rc, err := har.Open(path)
	if err != nil {
		return err
	}
	defer rc.Close()
	cr := &countingReader{r: rc}
	var c counter
	start := time.Now()
	if err := har.Stream(context.Background(), cr, har.Options{Name: path}, &c); err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Printf("%s: %d pages, %d requests, %d body bytes kept, %d warnings; read %.1f MB in %v (%.1f MB/s)\n",
		path, c.pages, c.requests, c.bodyBytes, len(c.warnings), float64(cr.n)/1e6, d.Round(time.Millisecond), float64(cr.n)/1e6/d.Seconds())
	return nil
}
