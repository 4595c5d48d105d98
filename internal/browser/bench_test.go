package browser_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/launcher/flags"
	"github.com/go-rod/rod/lib/proto"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// BenchmarkVisit compares a recorded leakwatch page visit (navigate to the
// load event, every target recorded, bodies read) with a bare go-rod
// navigation of the same page in a Chromium without instrumentation.
func BenchmarkVisit(b *testing.B) {
	br := env.Need(b)
	url := env.Server.URL("site.test", true, "/bench/page.html")
	b.Run("leakwatch", func(b *testing.B) {
		ctx := context.Background()
		bc, err := br.NewContext(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer bc.Close(ctx)
		tab, err := bc.NewTab(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer tab.Close()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			nctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			if err := tab.Navigate(nctx, url); err != nil {
				b.Fatal(err)
			}
			cancel()
		}
		b.StopTimer()
		c, err := bc.Capture(ctx)
		if err != nil || len(c.Requests) < 5*b.N {
			b.Fatalf("capture: %d requests for %d visits, %v", len(c.Requests), b.N, err)
		}
	})
	b.Run("rod", func(b *testing.B) {
		exe, err := browser.Find()
		if err != nil {
			b.Fatal(err)
		}
		l := launcher.New().Bin(exe).Leakless(false).Headless(true).NoSandbox(true).
			Set("disable-gpu").Set("disable-quic").Set("no-first-run").Set(flags.Flag("disable-background-networking"))
		for _, a := range env.Args {
			name, val, _ := cut(a)
			l = l.Set(flags.Flag(name), val)
		}
		u, err := l.Launch()
		if err != nil {
			b.Fatal(err)
		}
		defer l.Cleanup()
		defer l.Kill()
		rb := rod.New().ControlURL(u)
		if err := rb.Connect(); err != nil {
			b.Fatal(err)
		}
		defer rb.Close()
		page, err := rb.Page(proto.TargetCreateTarget{URL: "about:blank"})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := page.Navigate(url); err != nil {
				b.Fatal(err)
			}
			if err := page.WaitLoad(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cut splits "--name=value" into name and value.
func cut(flag string) (string, string, bool) {
	for len(flag) > 0 && flag[0] == '-' {
		flag = flag[1:]
	}
	for i := 0; i < len(flag); i++ {
		if flag[i] == '=' {
			return flag[:i], flag[i+1:], true
		}
	}
	return flag, "", false
}
