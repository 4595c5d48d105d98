package jobs

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// hookServer is a real local webhook receiver that checks signatures.
type hookServer struct {
	*httptest.Server
	secret []byte
	// fail answers the first fail deliveries with 503.
	fail int

	mu         sync.Mutex
	bodies     map[string][]byte // by path
	deliveries []string          // X-Leakwatch-Delivery of every request
	badSig     int
}

func newHookServer(t *testing.T, secret string, fail int) *hookServer {
	t.Helper()
	h := &hookServer{secret: []byte(secret), fail: fail, bodies: map[string][]byte{}}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.deliveries = append(h.deliveries, r.Header.Get(DeliveryHeader))
	if !Verify(h.secret, body, r.Header.Get(SignatureHeader)) || r.Header.Get(EventHeader) != Event {
		h.badSig++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if h.fail > 0 {
		h.fail--
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	h.bodies[r.URL.Path] = body
}

func (h *hookServer) wait(t *testing.T, path string) []byte {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		h.mu.Lock()
		b := h.bodies[path]
		h.mu.Unlock()
		if b != nil {
			return b
		}
	}
	t.Fatalf("no delivery to %s", path)
	return nil
}

func TestNotifyNewCompanies(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, dsn string) {
		st := openStore(t, dsn)
		hook := newHookServer(t, "s3cret", 1) // the first delivery fails and is retried
		site := newSite(t, st, "https://www.mylabbox.com/")
		cfg := fastConfig()
		cfg.Targets = func(_ context.Context, id int64) ([]Target, error) {
			if id != site.ID {
				return nil, nil
			}
			return []Target{
				{URL: hook.URL + "/json", Secret: hook.secret},
				{URL: hook.URL + "/slack", Secret: hook.secret, Format: FormatSlack},
			}, nil
		}
		r := startRunner(t, dsn, st, newHARScan(t).Scan, cfg)
		ctx := context.Background()
		var last store.Scan
		for _, h := range []string{"pagexray-http2-firefox.har", "health-shop-mylabbox.har"} {
			last = newScan(t, st, site.ID, h)
			if err := r.Submit(ctx, last.ID); err != nil {
				t.Fatal(err)
			}
			if got := waitState(t, st, last.ID, 60*time.Second); got.State != store.Done {
				t.Fatalf("scan %d = %s (%s)", last.ID, got.State, got.Error)
			}
		}
		var body webhookBody
		if err := json.Unmarshal(hook.wait(t, "/json"), &body); err != nil {
			t.Fatal(err)
		}
		n := body.Notice
		if n.ScanID != last.ID || n.Reference != "previous scan" || n.Against != last.ID-1 || len(n.NewCompanies) == 0 {
			t.Errorf("notice = scan %d against %s %d, %d new companies", n.ScanID, n.Reference, n.Against, len(n.NewCompanies))
		}
		if !strings.Contains(body.Text, n.NewCompanies[0].Company) {
			t.Errorf("text does not name %s:\n%s", n.NewCompanies[0].Company, body.Text)
		}
		var slack struct {
			Text   string            `json:"text"`
			Blocks []json.RawMessage `json:"blocks"`
		}
		if err := json.Unmarshal(hook.wait(t, "/slack"), &slack); err != nil || !strings.Contains(slack.Text, "new compan") || len(slack.Blocks) < 2 {
			t.Errorf("Slack message: %v, %+v", err, slack)
		}
		hook.mu.Lock()
		defer hook.mu.Unlock()
		if hook.badSig != 0 || len(hook.deliveries) != 3 || hook.deliveries[0] == "" {
			t.Errorf("%d bad signatures, deliveries %q: want 3 (one retried)", hook.badSig, hook.deliveries)
		}
	})
}

// TestNotifyNothingNew checks that a first scan and a scan like its
// predecessor send nothing.
func TestNotifyNothingNew(t *testing.T) {
	t.Parallel()
	dsn := backends()[0].dsn(t)
	st := openStore(t, dsn)
	hook := newHookServer(t, "k", 0)
	site := newSite(t, st, "https://www.mylabbox.com/")
	cfg := fastConfig()
	cfg.Targets = func(context.Context, int64) ([]Target, error) {
		return []Target{{URL: hook.URL, Secret: hook.secret}}, nil
	}
	r := startRunner(t, dsn, st, newHARScan(t).Scan, cfg)
	for range 2 {
		sc := newScan(t, st, site.ID, "health-shop-mylabbox.har")
		if err := r.Submit(context.Background(), sc.ID); err != nil {
			t.Fatal(err)
		}
		waitState(t, st, sc.ID, 60*time.Second)
	}
	time.Sleep(time.Second)
	hook.mu.Lock()
	defer hook.mu.Unlock()
	if len(hook.deliveries) != 0 {
		t.Errorf("%d deliveries for nothing new", len(hook.deliveries))
	}
}
