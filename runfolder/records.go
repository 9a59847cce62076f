package runfolder

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// ColdStart is one cold start: a new execution environment, seen by the edge or read from a
// response's headers (X-Qload-Cold-Start and the Server-Timing init entries). One line of
// coldstarts.jsonl.
type ColdStart struct {
	Time time.Time `json:"time"`
	// Function is viewer-request or viewer-response (from responses) or the edge's function name.
	Function string        `json:"function"`
	Env      int           `json:"env,omitempty"`
	Init     time.Duration `json:"initNs"`
	Prewarm  bool          `json:"prewarm,omitempty"`
	Err      string        `json:"error,omitempty"`
	// Source is "response" (read from a response) or "edge" (the edge's own record).
	Source string `json:"source,omitempty"`
	// Latency and Class are those of the request that met the cold start (source response).
	Latency time.Duration `json:"latencyNs,omitempty"`
	Class   Class         `json:"class,omitempty"`
}

// MetricSample is one scrape of a Prometheus text endpoint: every series, named as exposed
// (`qload_edge_environments{function="connector",state="busy"}`). One line of metrics.jsonl.
type MetricSample struct {
	Time   time.Time          `json:"time"`
	Values map[string]float64 `json:"values"`
	// Err is why the scrape failed (then Values is empty).
	Err string `json:"error,omitempty"`
}

// jsonLines reads a JSON-lines file into a slice; errors name the line.
func jsonLines[T any](r io.Reader) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return out, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}
