package server

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/leakwatch/leakwatch/internal/store"
)

// metrics are the server's Prometheus metrics, in its own registry.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	transitions *prometheus.CounterVec
	durations   prometheus.Histogram
	handler     http.Handler
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "leakwatch_http_requests_total",
		Help: "HTTP requests by route and status code."}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "leakwatch_http_request_duration_seconds",
		Help: "HTTP request durations by route.", Buckets: prometheus.DefBuckets}, []string{"route"})
	m.transitions = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "leakwatch_scan_transitions_total",
		Help: "Scans entering each state, as seen by this process."}, []string{"state"})
	m.durations = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "leakwatch_scan_duration_seconds",
		Help:    "Durations of done scans run by this process, from start to finish.",
		Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1800}})
	m.reg.MustRegister(m.requests, m.latency, m.transitions, m.durations, &scanCollector{s: s},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

func (m *metrics) request(route string, code int, d time.Duration) {
	if code == 0 {
		code = http.StatusOK
	}
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) scanState(st store.State) { m.transitions.WithLabelValues(string(st)).Inc() }

func (m *metrics) scanDone(d time.Duration) { m.durations.Observe(d.Seconds()) }

// scanCollector reads the scans waiting and running from the store at
// scrape time (up to store.MaxLimit each), and the inline queue's sessions.
type scanCollector struct{ s *Server }

var (
	scansDesc = prometheus.NewDesc("leakwatch_scans", "Scans in the store by state (queued and running; at most 1000 counted).",
		[]string{"state"}, nil)
	sessionsDesc = prometheus.NewDesc("leakwatch_scan_sessions", "Scans (Chromium sessions) running in this process.", nil, nil)
	queueDesc    = prometheus.NewDesc("leakwatch_queue_depth", "Scans waiting for a session in this process.", nil, nil)
)

func (c *scanCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- scansDesc
	ch <- sessionsDesc
	ch <- queueDesc
}

func (c *scanCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, st := range []store.State{store.Queued, store.Running} {
		scans, err := c.s.st.ListScans(ctx, st, store.Page{Limit: store.MaxLimit})
		if err != nil {
			continue
		}
		ch <- prometheus.MustNewConstMetric(scansDesc, prometheus.GaugeValue, float64(len(scans)), string(st))
	}
	if c.s.inline != nil {
		waiting, running := c.s.inline.Depth()
		ch <- prometheus.MustNewConstMetric(sessionsDesc, prometheus.GaugeValue, float64(running))
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(waiting))
	}
}

// serveMetrics serves the metrics to anyone with MetricsPublic; otherwise
// to a bearer of MetricsToken or of any live API token (a failed guess
// spends the address's rate limit, as a failed login does).
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.MetricsPublic && !s.metricsAllowed(r) {
		if !s.limits.allow("addr:" + clientAddr(r)) {
			return tooMany(w)
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="leakwatch metrics"`)
		return errorf(http.StatusUnauthorized, "metrics need Authorization: Bearer with the metrics token or an API token (or a server run with --metrics-public)")
	}
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}

func (s *Server) metricsAllowed(r *http.Request) bool {
	secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	secret = strings.TrimSpace(secret)
	if !ok || secret == "" {
		return false
	}
	if s.cfg.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.MetricsToken)) == 1 {
		return true
	}
	_, err := s.st.Authenticate(r.Context(), secret)
	return err == nil
}
