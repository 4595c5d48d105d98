// Command hargen writes a large, realistic, deterministic HAR file:
//
//	go run ./internal/har/hargen/cmd/hargen -size 1GB -o /tmp/big.har
//	go run ./internal/har/hargen/cmd/hargen -size 50MB -email jane@example.com -zip 94107 -tracking 1Z999AA10123456784 -o /tmp/leaky.har
package main

import (
	"bufio"
	"flag"
	"fmt"
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
	flag.Parse()
	n, err := parseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hargen:", err)
		os.Exit(2)
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
	f := os.Stdout
	if path != "-" {
		var err error
		if f, err = os.Create(path); err != nil {
			return err
		}
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err := hargen.Generate(bw, opts)
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
