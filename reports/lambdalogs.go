package reports

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// LambdaReport is one CloudWatch REPORT line of a Lambda (or Lambda@Edge) function:
//
//	REPORT RequestId: 8f5c… Duration: 1.23 ms Billed Duration: 2 ms Memory Size: 128 MB Max Memory Used: 45 MB Init Duration: 123.45 ms
//
// Init is set only on the invocation that met a cold start.
type LambdaReport struct {
	Time            time.Time // when CloudWatch got the line; zero when the export had no timestamp
	Stream          string    // log stream (or group), when the export names it
	RequestID       string
	Duration        time.Duration
	Billed          time.Duration
	Init            time.Duration
	MemorySizeMB    int
	MaxMemoryUsedMB int
}

// reportKeys are the fields of a REPORT line, longest first where one is a suffix of another.
var reportKeys = []string{"Billed Restore Duration", "Billed Duration", "Restore Duration", "Init Duration",
	"Max Memory Used", "Memory Size", "Duration", "RequestId", "XRAY TraceId", "SegmentId", "Sampled"}

// maxLambdaDuration bounds durations read from logs: Lambda stops a function after 15 minutes.
const maxLambdaDuration = time.Hour

// ParseReportLine parses one REPORT line; text before "REPORT " (a timestamp, a log stream) is
// ignored. Fields may be separated by tabs (CloudWatch) or spaces (copied from the console).
func ParseReportLine(line string) (LambdaReport, error) {
	var r LambdaReport
	i := strings.Index(line, "REPORT ")
	if i < 0 {
		return r, errors.New("not a REPORT line")
	}
	fields, err := splitReport(line[i+len("REPORT "):])
	if err != nil {
		return r, err
	}
	for _, f := range fields {
		var err error
		switch f.key {
		case "RequestId":
			if f.value == "" || strings.ContainsAny(f.value, " \t") {
				err = fmt.Errorf("RequestId %q is not a request id", f.value)
			}
			r.RequestID = f.value
		case "Duration":
			r.Duration, err = parseLogDuration(f)
		case "Billed Duration":
			r.Billed, err = parseLogDuration(f)
		case "Init Duration":
			r.Init, err = parseLogDuration(f)
		case "Memory Size":
			r.MemorySizeMB, err = parseLogMB(f)
		case "Max Memory Used":
			r.MaxMemoryUsedMB, err = parseLogMB(f)
		}
		if err != nil {
			return LambdaReport{}, err
		}
	}
	if r.RequestID == "" {
		return LambdaReport{}, errors.New("REPORT line has no RequestId")
	}
	if !hasKey(fields, "Duration") {
		return LambdaReport{}, errors.New("REPORT line has no Duration")
	}
	return r, nil
}

type reportField struct{ key, value string }

func hasKey(fs []reportField, k string) bool {
	for _, f := range fs {
		if f.key == k {
			return true
		}
	}
	return false
}

// splitReport cuts the text after "REPORT " into its "Key: value" fields.
func splitReport(s string) ([]reportField, error) {
	var fields []reportField
	start, key := -1, ""
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i-1] != ' ' && s[i-1] != '\t' {
			continue
		}
		for _, k := range reportKeys {
			if strings.HasPrefix(s[i:], k+":") {
				if start >= 0 {
					fields = append(fields, reportField{key, strings.TrimSpace(s[start:i])})
				} else if strings.TrimSpace(s[:i]) != "" {
					return nil, fmt.Errorf("REPORT line: %q before the first field", strings.TrimSpace(s[:i]))
				}
				key, start = k, i+len(k)+1
				i = start - 1
				break
			}
		}
	}
	if start < 0 {
		return nil, errors.New("REPORT line has no fields")
	}
	fields = append(fields, reportField{key, strings.TrimSpace(s[start:])})
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f.key] {
			return nil, fmt.Errorf("REPORT line has %s twice", f.key)
		}
		seen[f.key] = true
	}
	return fields, nil
}

func parseLogNumber(f reportField, unit string) (float64, error) {
	num, u, ok := strings.Cut(f.value, " ")
	if !ok || strings.TrimSpace(u) != unit {
		return 0, fmt.Errorf("%s: %q is not a number of %s", f.key, f.value, unit)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("%s: %q is not a number of %s", f.key, f.value, unit)
	}
	return v, nil
}

func parseLogDuration(f reportField) (time.Duration, error) {
	v, err := parseLogNumber(f, "ms")
	if err != nil {
		return 0, err
	}
	d := time.Duration(math.Round(v * float64(time.Millisecond)))
	if d > maxLambdaDuration {
		return 0, fmt.Errorf("%s: %s is out of range (at most %s)", f.key, f.value, maxLambdaDuration)
	}
	return d, nil
}

func parseLogMB(f reportField) (int, error) {
	v, err := parseLogNumber(f, "MB")
	if err != nil {
		return 0, err
	}
	if v != math.Trunc(v) || v > 1<<20 {
		return 0, fmt.Errorf("%s: %s is not a whole number of MB up to 1048576", f.key, f.value)
	}
	return int(v), nil
}

// ReadLambdaLogs reads the REPORT lines of a CloudWatch export: plain text (one log line a
// line, as `aws logs tail` or the console prints them, optionally starting with an RFC 3339
// timestamp), the JSON of `aws logs filter-log-events`, or the console's CSV (timestamp,message).
// Other lines (START, END, the function's own logs) are skipped; a malformed REPORT line is an
// error naming the file and line.
func ReadLambdaLogs(path string) ([]LambdaReport, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading Lambda logs: %w", err)
	}
	trimmed := bytes.TrimSpace(b)
	switch {
	case len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		return readLogJSON(path, trimmed)
	case bytes.HasPrefix(bytes.ToLower(trimmed), []byte("timestamp,message")):
		return readLogCSV(path, trimmed)
	}
	return readLogText(path, bytes.NewReader(b))
}

func readLogText(path string, r io.Reader) ([]LambdaReport, error) {
	var out []LambdaReport
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if !strings.Contains(line, "REPORT ") {
			continue
		}
		rep, err := ParseReportLine(line)
		if err != nil {
			return nil, fmt.Errorf("reading Lambda logs %s:%d: %w", path, n, err)
		}
		prefix := strings.Fields(line[:strings.Index(line, "REPORT ")])
		if len(prefix) > 0 {
			if t, err := time.Parse(time.RFC3339Nano, prefix[0]); err == nil {
				rep.Time = t
				if len(prefix) > 1 {
					rep.Stream = prefix[1]
				}
			}
		}
		out = append(out, rep)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading Lambda logs %s: %w", path, err)
	}
	return out, nil
}

// logEvent is an event of `aws logs filter-log-events` (or get-log-events) JSON.
type logEvent struct {
	LogStreamName string `json:"logStreamName"`
	Timestamp     int64  `json:"timestamp"` // ms since the epoch
	Message       string `json:"message"`
}

func readLogJSON(path string, b []byte) ([]LambdaReport, error) {
	var doc struct {
		Events []logEvent `json:"events"`
	}
	if b[0] == '[' {
		if err := json.Unmarshal(b, &doc.Events); err != nil {
			return nil, fmt.Errorf("reading Lambda logs %s: %w", path, err)
		}
	} else if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("reading Lambda logs %s: %w", path, err)
	}
	var out []LambdaReport
	for i, e := range doc.Events {
		if !strings.Contains(e.Message, "REPORT ") {
			continue
		}
		rep, err := ParseReportLine(e.Message)
		if err != nil {
			return nil, fmt.Errorf("reading Lambda logs %s: event %d: %w", path, i, err)
		}
		if e.Timestamp > 0 {
			rep.Time = time.UnixMilli(e.Timestamp).UTC()
		}
		rep.Stream = e.LogStreamName
		out = append(out, rep)
	}
	return out, nil
}

func readLogCSV(path string, b []byte) ([]LambdaReport, error) {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = 2
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading Lambda logs %s: %w", path, err)
	}
	var out []LambdaReport
	for i, rec := range recs[1:] {
		if !strings.Contains(rec[1], "REPORT ") {
			continue
		}
		rep, err := ParseReportLine(rec[1])
		if err != nil {
			return nil, fmt.Errorf("reading Lambda logs %s:%d: %w", path, i+2, err)
		}
		if msec, err := strconv.ParseInt(rec[0], 10, 64); err == nil {
			rep.Time = time.UnixMilli(msec).UTC()
		} else if t, err := time.Parse(time.RFC3339Nano, rec[0]); err == nil {
			rep.Time = t
		} else {
			return nil, fmt.Errorf("reading Lambda logs %s:%d: timestamp %q is neither milliseconds since the epoch nor RFC 3339", path, i+2, rec[0])
		}
		out = append(out, rep)
	}
	return out, nil
}
