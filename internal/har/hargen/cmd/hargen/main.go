// Command hargen writes large, deterministic HAR files for benchmarks and
// robustness tests. -shape chooses what:
//
//	shop           (default) a shop visited page by page, sized by -size, with
//	               tracker hits carrying the values of -email, -zip, ...
//	tracker-dense  ad-tech traffic (15–40 random IDs per GET, 0.5–3 KB
//	               cookies, a quarter POSTs of 1–12 KB), sized by -requests
//	               or -size; 1% of requests carry hargen.DensePersona's values,
//	               listed (request, key, where, encoding) in the -truth file
//	               (JSON lines); -persona writes that persona as a YAML file
//	amplify, huge-body, huge-url, tiny-entries, many-hosts, many-headers,
//	deep-json-body, deep-har, websocket-frames, gzip-bomb,
//	base64-gzip-chain, cookie-prefixes
//	               adversarial files (hargen -list describes each), sized by
//	               -n in the shape's unit (default: the full size)
//
// Examples:
//
//	go run ./internal/har/hargen/cmd/hargen -size 1GB -o /tmp/big.har
//	go run ./internal/har/hargen/cmd/hargen -size 50MB -email jane@example.com -zip 94107 -tracking 1Z999AA10123456784 -o /tmp/leaky.har
//	go run ./internal/har/hargen/cmd/hargen -shape tracker-dense -requests 20000 -truth /tmp/truth.jsonl -persona /tmp/p.yaml -o /tmp/dense.har
//	go run ./internal/har/hargen/cmd/hargen -shape gzip-bomb -n 64MB -o /tmp/bomb.har
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/har/hargen"
)

func main() {
	size := flag.String("size", "10MB", "approximate file size: bytes, or with a KB, MB or GB suffix (powers of 1024)")
	out := flag.String("o", "-", "output file; - is standard output")
	seed := flag.Int64("seed", 1, "random seed; the same seed and options give the same file")
	email := flag.String("email", "", "email address to plant in tracker hits")
	zip := flag.String("zip", "", "ZIP code to plant in tracker hits")
	tracking := flag.String("tracking", "", "parcel tracking number to plant in tracker hits")
	phone := flag.String("phone", "", "phone number to plant in tracker hits")
	name := flag.String("name", "", `"First Last" name to plant in tracker hits`)
	shape := flag.String("shape", "shop", "what to write: shop, tracker-dense, or an adversarial shape (see -list)")
	requests := flag.Int("requests", 0, "tracker-dense: number of requests (0: sized by -size)")
	truth := flag.String("truth", "", "tracker-dense: write the planted values (JSON lines) to this file")
	persona := flag.String("persona", "", "tracker-dense and adversarial shapes: write the planted persona (YAML) to this file")
	count := flag.String("n", "", "adversarial shapes: size in the shape's unit (a KB/MB/GB suffix allowed); empty means the full size")
	list := flag.Bool("list", false, "describe the adversarial shapes and exit")
	flag.Parse()
	if *list {
		for _, s := range hargen.Shapes() {
			fmt.Printf("%-18s %s (N in %s; full %d, test %d)\n", s.Name, s.Doc, s.Unit, s.Full, s.Test)
		}
		return
	}
	n, err := parseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hargen:", err)
		os.Exit(2)
	}
	if *shape != "shop" {
		if err := runShape(*shape, *out, shapeArgs{size: n, requests: *requests, n: *count, seed: *seed, truth: *truth, persona: *persona}); err != nil {
			fmt.Fprintln(os.Stderr, "hargen:", err)
			os.Exit(1)
		}
		return
	}
	values := map[string]string{}
	for k, v := range map[string]string{"email": *email, "zip": *zip, "tracking_number": *tracking, "phone": *phone, "name": *name} {
		if v != "" {
			values[k] = v
		}
	}
	if err := run(*out, hargen.Options{TargetBytes: n, Seed: *seed, Values: values}); err != nil {
		fmt.Fprintln(os.Stderr, "hargen:", err)
		os.Exit(1)
	}
}

func run(path string, opts hargen.Options) error {
	return write(path, func(w io.Writer) error { return hargen.Generate(w, opts) })
}

// write creates path (- is standard output) and runs gen on a buffered
// writer to it.
func write(path string, gen func(io.Writer) error) error {
	f := os.Stdout
	if path != "-" {
		var err error
		if f, err = os.Create(path); err != nil {
			return err
		}
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err := gen(bw)
	if err == nil {
		err = bw.Flush()
	}
	if path != "-" {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	u := strings.ToUpper(strings.TrimSpace(s))
	for _, x := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, x.suffix) {
			u, mult = strings.TrimSuffix(u, x.suffix), x.m
			break
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(u), 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive number with an optional KB, MB or GB suffix", s)
	}
	return int64(n * float64(mult)), nil
}
