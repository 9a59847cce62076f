package main

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/qload/qload/edge"
)

// validate refuses flag values that have no meaning, naming the flag: nothing is silently
// replaced by a default.
func (f *serveFlags) validate() error {
	positive := []struct {
		flag string
		v    time.Duration
	}{{"--timeout", f.timeout}, {"--idle-timeout", f.idle}, {"--config-ttl", f.configTTL}, {"--origin-p50", f.originP50}, {"--origin-p99", f.originP99}}
	for _, p := range positive {
		if p.v <= 0 {
			return fmt.Errorf("%s %s: want a positive duration", p.flag, p.v)
		}
	}
	notNegative := []struct {
		flag string
		v    time.Duration
	}{{"--origin-stall", f.stall}, {"--fault-slow-init", f.slowInit}, {"--duration", f.duration}}
	for _, p := range notNegative {
		if p.v < 0 {
			return fmt.Errorf("%s %s: want a duration ≥ 0", p.flag, p.v)
		}
	}
	for _, r := range []struct {
		flag string
		v    float64
	}{{"--origin-error-rate", f.originErrors}, {"--origin-stall-rate", f.stallRate}, {"--fault-crash-rate", f.crashRate}} {
		if !(r.v >= 0 && r.v <= 1) {
			return fmt.Errorf("%s %v: want a share in [0, 1]", r.flag, r.v)
		}
	}
	switch {
	case f.maxConcurrency <= 0:
		return fmt.Errorf("--max-concurrency %d: want at least 1", f.maxConcurrency)
	case f.maxRate == 0 || math.IsNaN(f.maxRate) || math.IsInf(f.maxRate, 0):
		return fmt.Errorf("--max-rate %v: want invocations per second > 0 (or negative: no limit)", f.maxRate)
	case f.prewarm < 0 || f.prewarm > f.maxConcurrency:
		return fmt.Errorf("--prewarm %d: want 0 to --max-concurrency (%d)", f.prewarm, f.maxConcurrency)
	case f.originP99 < f.originP50:
		return fmt.Errorf("--origin-p99 %s: below --origin-p50 %s", f.originP99, f.originP50)
	case f.bodySize <= 0:
		return fmt.Errorf("--origin-body %d: want a page size of at least 1 byte", f.bodySize)
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return fmt.Errorf("--tls-cert and --tls-key: give both or neither")
	case f.tls && f.tlsCert != "":
		return fmt.Errorf("--tls: generates a certificate; with --tls-cert and --tls-key leave it out")
	case f.tlsCertOut != "" && !f.tls:
		return fmt.Errorf("--tls-cert-out: only with --tls")
	}
	return nil
}

// secretKey is the session's secret key: the rehearsal's own, else the content of
// --secret-key-file, else $QUEUEIT_SECRET_KEY, else a random key. The flag wins over the
// variable (a note says so on stderr when both are set). The key stays in this process's
// memory; the edge hands it to the functions as a sealed memory file.
func secretKey(f *serveFlags, notes *os.File) (string, error) {
	switch {
	case f.secret != "":
		return f.secret, nil
	case f.secretFile != "":
		b, err := os.ReadFile(f.secretFile)
		if err != nil {
			return "", fmt.Errorf("--secret-key-file: %w", err)
		}
		key := strings.TrimSpace(string(b))
		if key == "" {
			return "", fmt.Errorf("--secret-key-file %s: empty", f.secretFile)
		}
		if os.Getenv("QUEUEIT_SECRET_KEY") != "" && notes != nil {
			fmt.Fprintln(notes, "qload serve: --secret-key-file is used; $QUEUEIT_SECRET_KEY is ignored")
		}
		return key, nil
	case os.Getenv("QUEUEIT_SECRET_KEY") != "":
		return os.Getenv("QUEUEIT_SECRET_KEY"), nil
	}
	return randomKey(), nil
}

// tlsConfig is the viewer front's TLS: a generated self-signed certificate (--tls), a given
// one (--tls-cert, --tls-key), or none.
func tlsConfig(f *serveFlags) (*tls.Config, error) {
	switch {
	case f.tlsCert != "":
		cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
	case f.tls:
		cert, pem, err := edge.SelfSigned()
		if err != nil {
			return nil, fmt.Errorf("--tls: %w", err)
		}
		if f.tlsCertOut != "" {
			if err := os.WriteFile(f.tlsCertOut, pem, 0o644); err != nil {
				return nil, fmt.Errorf("--tls-cert-out: %w", err)
			}
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
	}
	return nil, nil
}

// randomKey is a fresh 192-bit secret key, hex-encoded.
func randomKey() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}
