package lab

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// launchChromium starts headless Chromium through browsertest with the
// lab's flags and a fresh profile that allows third-party cookies, as a
// typical browser would; ctx bounds it.
func launchChromium(t testing.TB, ctx context.Context, s *Site) *browser.Browser {
	t.Helper()
	return browsertest.Launch(t, ctx, browser.Options{Args: s.ChromeArgs()})
}

// newPage opens a tab in b's default context, whose cookie jar
// checkCookieJar reads.
func newPage(t testing.TB, ctx context.Context, b *browser.Browser) *browsertest.Page {
	t.Helper()
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return browsertest.NewPage(t, tab)
}

// remoteAddrs remembers where every response the page got came from.
type remoteAddrs struct {
	mu    sync.Mutex
	addrs map[string]string // URL -> remote IP
}

func (r *remoteAddrs) watch(p *browsertest.Page) {
	p.Listen(browsertest.Listeners{Response: func(e browsertest.Response) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.addrs[e.URL] = e.RemoteIP
	}})
}

func TestChromiumReproducesIncident(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 55*time.Second)
	defer cancel()
	s, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := launchChromium(t, ctx, s)
	page := newPage(t, ctx, b)
	seen := &remoteAddrs{addrs: map[string]string{}}
	seen.watch(page)

	// Drive the site with the lab's own Steps, as `leakwatch demo` does.
	runSteps(t, page, s.Steps())
	acct := demoAccount
	accountURL := "https://" + SiteHost + "/account"
	trackURL := "https://" + SiteHost + "/track?tn=" + acct.Parcel
	waitHit(t, s, "Meta SubscribedButtonClick beacon (multipart) with the typed email", func(h traffic.Request) bool {
		f, err := multipartFields(h)
		return isPath(h, "www.facebook.com", "/tr/") && h.Method == "POST" && err == nil &&
			f.Get("ev") == "SubscribedButtonClick" && f.Get("rqm") == "SB" && f.Get("dl") == "https://"+SiteHost+"/login" &&
			f.Get("udff[em]") == sha256Hex(strings.ToLower(acct.Email)) && f.Get("udff[ph]") == ""
	})
	for _, c := range incidentChecks(acct, accountURL, trackURL) {
		waitHit(t, s, c.name, c.match)
	}
	checkTransports(t, s, page, acct.Parcel)
	checkLoopback(t, seen)
	checkCookieJar(t, ctx, b)
	if os.Getenv("LAB_DUMP_HITS") != "" {
		for _, h := range s.Hits() {
			t.Logf("%s %s cookies=%v body=%.200q", h.Method, h.URL, h.Cookies, h.Body)
		}
	}
}

// checkTransports proves the tags' other transports: LinkedIn reports the
// click on the tracking form's button, and Meta switches to a multipart
// sendBeacon when the GET URL would pass 2048 characters.
func checkTransports(t *testing.T, s *Site, page *browsertest.Page, tn string) {
	t.Helper()
	waitHit(t, s, "LinkedIn CLICK on the Track button", func(h traffic.Request) bool {
		var wa struct {
			SignalType, URL string
			DomAttributes   struct {
				InnerText        string
				FormAction       string
				IsFormSubmission bool
			}
		}
		return isPath(h, "px.ads.linkedin.com", "/wa/") && decodeWA(h.Body, &wa) == nil && wa.SignalType == "CLICK" &&
			wa.DomAttributes.InnerText == "Track" && wa.DomAttributes.IsFormSubmission &&
			wa.DomAttributes.FormAction == "https://"+SiteHost+"/track"
	})
	long := strings.Repeat("parcel ", 400)
	page.Eval(nil, `(name) => fbq('track', 'ViewContent', {content_name: name})`, long)
	waitHit(t, s, "Meta multipart beacon for a long event", func(h traffic.Request) bool {
		f, err := multipartFields(h)
		return isPath(h, "www.facebook.com", "/tr/") && h.Method == "POST" && err == nil && f.Get("ev") == "ViewContent" &&
			f.Get("rqm") == "SB" && f.Get("cd[content_name]") == long && strings.Contains(f.Get("dl"), tn)
	})
}

// checkCookieJar looks for the identifiers the tags and collectors set:
// first-party ones written by script on the site's registrable domain, and
// third-party ones on the vendors' domains, SameSite=None and Secure.
func checkCookieJar(t *testing.T, ctx context.Context, b *browser.Browser) {
	t.Helper()
	cookies, err := b.Default().Cookies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jar := map[string]*traffic.Cookie{}
	for i, c := range cookies {
		jar[c.Name+" "+c.Domain] = &cookies[i]
		if os.Getenv("LAB_DUMP_HITS") != "" {
			t.Logf("cookie %s domain=%s samesite=%s secure=%v httponly=%v", c.Name, c.Domain, c.SameSite, c.Secure, c.HTTPOnly)
		}
	}
	for _, name := range []string{"_fbp", "_scid", "_uetsid", "_uetvid", "_ga", "_gcl_au", "_pin_unauth"} {
		if jar[name+" .parcelpost.test"] == nil {
			t.Errorf("first-party cookie %s not set on .parcelpost.test", name)
		}
	}
	for _, key := range []string{"fr .facebook.com", "bcookie .linkedin.com", "sc_at .snapchat.com", "MUID .bing.com",
		"IDE .doubleclick.net", "ar_debug .pinterest.com"} {
		c := jar[key]
		if c == nil || c.SameSite != "None" || !c.Secure {
			t.Errorf("third-party cookie %s missing or not SameSite=None; Secure: %+v", key, c)
		}
	}
	if c := jar[sessionCookie+" www.parcelpost.test"]; c == nil || !c.HTTPOnly || !c.Secure {
		t.Errorf("session cookie missing or not HttpOnly; Secure: %+v", c)
	}
}

// hitCheck names one request a vendor's collector must have received.
type hitCheck struct {
	name  string
	match func(traffic.Request) bool
}

func incidentChecks(a account, accountURL, trackURL string) []hitCheck {
	hexHash := sha256Hex
	b64Hash := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return base64.RawURLEncoding.EncodeToString(h[:])
	}
	title := "Tracking " + a.Parcel + " | ParcelPost"
	return []hitCheck{
		{"Meta udff of the displayed address on the account page", func(h traffic.Request) bool {
			q := hitQuery(h)
			return isPath(h, "www.facebook.com", "/tr/") && q.Get("dl") == accountURL && q.Get("id") == MetaPixelID &&
				q.Get("udff[em]") == hexHash(strings.ToLower(a.Email)) && q.Get("udff[zp]") == hexHash(a.Zip) &&
				q.Get("udff[ct]") == hexHash("springfield") && q.Get("udff[st]") == hexHash("il") &&
				q.Get("udff[fn]") == hexHash("dana") && q.Get("udff[ln]") == hexHash("whitfield") &&
				q.Get("udff[ph]") == hexHash("2175550148") && q.Get("udff[country]") == hexHash("us")
		}},
		{"Meta PageView with the tracking number in dl, the zip in udff and the fr cookie", func(h traffic.Request) bool {
			q := hitQuery(h)
			return isPath(h, "www.facebook.com", "/tr/") && q.Get("ev") == "PageView" && q.Get("dl") == trackURL &&
				q.Get("udff[zp]") == hexHash(a.Zip) && q.Get("rl") == "https://"+SiteHost+"/" && hasCookie(h, "fr") &&
				strings.HasPrefix(q.Get("fbp"), "fb.1.")
		}},
		{"LinkedIn collect with the tracking URL", func(h traffic.Request) bool {
			q := hitQuery(h)
			return isPath(h, "px.ads.linkedin.com", "/collect") && q.Get("pid") == LinkedInPartnerID && q.Get("url") == trackURL && q.Get("v") == "2"
		}},
		{"LinkedIn wa body (base64 of gzip of JSON) with the tracking number in pageTitle", func(h traffic.Request) bool {
			if !isPath(h, "px.ads.linkedin.com", "/wa/") || h.Method != "POST" || !bytes.HasPrefix(h.Body, []byte("H4sI")) {
				return false
			}
			var wa struct{ URL, PageTitle, SignalType string }
			return decodeWA(h.Body, &wa) == nil && wa.PageTitle == title && wa.URL == trackURL && wa.SignalType == "PAGE_VISIT"
		}},
		{"Snap PAGE_VIEW with pl and u_hem", func(h traffic.Request) bool {
			f, err := url.ParseQuery(string(h.Body))
			return isPath(h, "tr.snapchat.com", "/p") && err == nil && f.Get("pid") == SnapPixelID && f.Get("ev") == "PAGE_VIEW" &&
				f.Get("pl") == trackURL && f.Get("u_hem") == hexHash(strings.ToLower(a.Email))
		}},
		{"Microsoft UET pageLoad with p and tl", func(h traffic.Request) bool {
			q := hitQuery(h)
			return isPath(h, "bat.bing.com", "/action/0") && q.Get("ti") == UETTagID && q.Get("evt") == "pageLoad" &&
				q.Get("p") == trackURL && q.Get("tl") == title
		}},
		{"GA4 page_view with dl and dt", func(h traffic.Request) bool {
			q := hitQuery(h)
			return isPath(h, "region1.google-analytics.com", "/g/collect") && h.Method == "POST" && q.Get("tid") == GA4MeasurementID &&
				q.Get("en") == "page_view" && q.Get("dl") == trackURL && q.Get("dt") == title && q.Get("cid") != ""
		}},
		{"Google Ads em token with hashed email and plaintext zip", func(h traffic.Request) bool {
			q := hitQuery(h)
			want := "tv.1~em." + b64Hash(strings.ToLower(a.Email)) + "~fn0." + b64Hash("dana") + "~ln0." + b64Hash("whitfield") + "~pc0." + a.Zip + "~co0.US"
			return isPath(h, "googleads.g.doubleclick.net", "/pagead/viewthroughconversion/10987654321/") && q.Get("url") == trackURL && q.Get("em") == want
		}},
		{"Pinterest pagevisit with ad.loc and pd.em", func(h traffic.Request) bool {
			q := hitQuery(h)
			var ad struct{ Loc string }
			var pd struct{ Em string }
			return isPath(h, "ct.pinterest.com", "/v3/") && q.Get("event") == "pagevisit" && q.Get("tid") == PinterestTagID &&
				json.Unmarshal([]byte(q.Get("ad")), &ad) == nil && ad.Loc == trackURL &&
				json.Unmarshal([]byte(q.Get("pd")), &pd) == nil && pd.Em == hexHash(strings.ToLower(a.Email))
		}},
	}
}

// runSteps interprets the Steps YAML with browsertest: goto, type, click, submit,
// wait (duration or selector) and screenshot.
func runSteps(t *testing.T, p *browsertest.Page, doc []byte) {
	t.Helper()
	var steps []map[string]yaml.Node
	if err := yaml.Unmarshal(doc, &steps); err != nil {
		t.Fatalf("steps YAML: %v", err)
	}
	for i, step := range steps {
		if len(step) != 1 {
			t.Fatalf("step %d has %d keys, want 1", i+1, len(step))
		}
		for kind, arg := range step {
			var sel struct{ Selector, Text string }
			switch kind {
			case "goto":
				p.Navigate(arg.Value)
			case "type":
				if err := arg.Decode(&sel); err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
				p.Type(sel.Selector, sel.Text)
			case "click", "submit":
				p.Click(arg.Value)
			case "wait":
				if arg.Kind == yaml.ScalarNode {
					d, err := time.ParseDuration(arg.Value)
					if err != nil {
						t.Fatalf("step %d: %v", i+1, err)
					}
					time.Sleep(d)
					continue
				}
				if err := arg.Decode(&sel); err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
				p.WaitSelector(sel.Selector)
			case "screenshot":
				p.Screenshot(false)
			default:
				t.Fatalf("step %d: unknown kind %q", i+1, kind)
			}
		}
	}
}

// waitHit polls the lab's collectors until one hit matches.
func waitHit(t *testing.T, s *Site, name string, match func(traffic.Request) bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, h := range s.Hits() {
			if match(h) {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	var got []string
	for _, h := range s.Hits() {
		body := string(h.Body)
		var wa map[string]any
		if decodeWA(h.Body, &wa) == nil {
			js, _ := json.Marshal(wa)
			body = "wa:" + string(js)
		}
		got = append(got, fmt.Sprintf("%s %s body=%.400q", h.Method, h.URL, body))
	}
	t.Fatalf("no hit for %s; collectors received:\n%s", name, strings.Join(got, "\n"))
}

func checkLoopback(t *testing.T, seen *remoteAddrs) {
	t.Helper()
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if len(seen.addrs) < 10 {
		t.Errorf("only %d responses observed, want the site and every tag", len(seen.addrs))
	}
	for u, ip := range seen.addrs {
		if parsed := net.ParseIP(ip); ip != "" && (parsed == nil || !parsed.IsLoopback()) {
			t.Errorf("%s answered from %q, not loopback", u, ip)
		}
	}
}

func isPath(h traffic.Request, host, path string) bool {
	u, err := url.Parse(h.URL)
	return err == nil && u.Host == host && u.Path == path
}

func hitQuery(h traffic.Request) url.Values {
	u, err := url.Parse(h.URL)
	if err != nil {
		return nil
	}
	return u.Query()
}

func hasCookie(h traffic.Request, name string) bool {
	for _, c := range h.Cookies {
		if c.Name == name && c.Value != "" {
			return true
		}
	}
	return false
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// decodeWA reads a LinkedIn /wa/ body: plain JSON or base64(gzip(JSON)).
func decodeWA(body []byte, v any) error {
	if bytes.HasPrefix(body, []byte("{")) {
		return json.Unmarshal(body, v)
	}
	raw, err := base64.StdEncoding.DecodeString(string(body))
	if err != nil {
		return fmt.Errorf("base64: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	js, err := io.ReadAll(io.LimitReader(zr, 1<<20))
	if err != nil {
		return fmt.Errorf("gunzip: %w", err)
	}
	return json.Unmarshal(js, v)
}

// multipartFields reads a sendBeacon FormData body.
func multipartFields(h traffic.Request) (url.Values, error) {
	_, params, err := mime.ParseMediaType(h.BodyMIME)
	if err != nil {
		return nil, err
	}
	form, err := multipart.NewReader(bytes.NewReader(h.Body), params["boundary"]).ReadForm(1 << 20)
	if err != nil {
		return nil, err
	}
	return url.Values(form.Value), nil
}

// TestChromiumDumpDOMWithChromeArgs passes ChromeArgs() verbatim to a plain
// `chromium --headless --dump-dom`, as a caller outside leakwatch's DevTools client would, starting
// from an http:// URL that the lab redirects to https.
func TestChromiumDumpDOMWithChromeArgs(t *testing.T) {
	bin := browsertest.Chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	s, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000", "--dump-dom"}, s.ChromeArgs()...)
	// Start from plain http: the lab redirects it to https like a real site.
	args = append(args, "http://"+SiteHost+"/")
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v\n%s", err, stderr.String())
	}
	dom := string(out)
	if !strings.Contains(dom, "<title>ParcelPost – Track packages") || !strings.Contains(dom, `id="track-form"`) {
		t.Fatalf("dumped DOM is not the lab's home page:\n%.2000s", dom)
	}
	for _, host := range []string{"www.facebook.com", "px.ads.linkedin.com", "tr.snapchat.com", "bat.bing.com",
		"region1.google-analytics.com", "googleads.g.doubleclick.net", "ct.pinterest.com"} {
		waitHit(t, s, host+" hit from the home page", func(h traffic.Request) bool {
			return h.Headers.Get("Host") == host && strings.Contains(h.URL+string(h.Body), url.QueryEscape(s.URL))
		})
	}
}
