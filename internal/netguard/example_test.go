package netguard_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/leakwatch/leakwatch/internal/netguard"
)

// A service checks a submitted URL early, then scans through the proxy,
// which checks every connection again when it is made.
func Example() {
	ctx := context.Background()
	allow, err := netguard.ParseAllowList("10.20.0.0/16, 192.168.1.5:8080") // an operator's list
	if err != nil {
		fmt.Println(err)
		return
	}
	guard := netguard.Guard{Policy: netguard.Policy{AllowPrivate: false, Allow: allow}}

	fmt.Println(guard.Check(ctx, "http://169.254.169.254/latest/meta-data/"))
	fmt.Println(guard.Check(ctx, "http://[::ffff:127.0.0.1]:8080/"))

	proxy, err := netguard.New(netguard.Config{Guard: guard})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := proxy.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer func() {
		stop, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = proxy.Stop(stop)
	}()
	// browser.Launch(ctx, browser.Options{Args: proxy.ChromeArgs()}) ...
	// webhooks: &http.Client{Transport: guard.Transport()}
	_ = &http.Client{Transport: guard.Transport(), Timeout: 30 * time.Second}
	// Output:
	// netguard: refused 169.254.169.254: cloud-metadata: instance metadata (AWS, GCP, Azure, OCI, OpenStack)
	// netguard: refused ::ffff:127.0.0.1: loopback: loopback 127.0.0.0/8
}
