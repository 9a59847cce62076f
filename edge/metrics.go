package edge

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the edge's Prometheus metrics, served on the control address at /metrics.
type metrics struct {
	reg          *prometheus.Registry
	coldStarts   *prometheus.CounterVec
	initDuration *prometheus.HistogramVec
	invocations  *prometheus.CounterVec
	throttles    *prometheus.CounterVec
	originDur    prometheus.Histogram
	requests     *prometheus.CounterVec
	overhead     prometheus.Histogram
}

func newMetrics(e *Edge) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		coldStarts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qload_edge_cold_starts_total", Help: "Execution environments started (cold starts), by function.",
		}, []string{"function"}),
		initDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "qload_edge_init_duration_seconds", Help: "Init duration of new execution environments: process spawn to first Runtime API next.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"function"}),
		invocations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qload_edge_invocations_total", Help: "Function invocations by outcome (ok, error, crash, timeout, throttled, invalid).",
		}, []string{"function", "outcome"}),
		throttles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qload_edge_throttles_total", Help: "Invocations refused by the concurrency or rate limit.",
		}, []string{"function"}),
		originDur: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "qload_edge_origin_duration_seconds", Help: "Origin latency seen by the edge.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qload_edge_requests_total", Help: "Viewer requests by response status.",
		}, []string{"status"}),
		overhead: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "qload_edge_overhead_seconds", Help: "Edge time minus origin time per request.",
			Buckets: prometheus.ExponentialBuckets(0.00005, 2, 16),
		}),
	}
	busy := prometheus.NewDesc("qload_edge_environments", "Execution environments by function and state (busy, idle).", []string{"function", "state"}, nil)
	m.reg.MustRegister(m.coldStarts, m.initDuration, m.invocations, m.throttles, m.originDur, m.requests, m.overhead,
		envCollector{desc: busy, e: e})
	// The per-function counters are exposed at 0 from the start: a series that appeared only at
	// its first increment would leave a scraper without the value it rose from.
	for name := range e.pools {
		m.coldStarts.WithLabelValues(name)
		m.throttles.WithLabelValues(name)
	}
	return m
}

// envCollector reports the environments of every function at scrape time.
type envCollector struct {
	desc *prometheus.Desc
	e    *Edge
}

func (c envCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c envCollector) Collect(ch chan<- prometheus.Metric) {
	for name, p := range c.e.pools {
		busy, idle := p.counts()
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(busy), name, "busy")
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(idle), name, "idle")
	}
}
