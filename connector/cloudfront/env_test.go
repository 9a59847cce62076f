package cloudfront

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// A new environment downloads its config in the init phase, so that its first request finds
// one instead of failing open while a slow download runs.
func TestHandlerFromEnvDownloadsAtInit(t *testing.T) {
	var downloads atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/status/integrationconfig/secure/ticketania" || r.Header.Get("api-key") != "k" {
			http.NotFound(w, r)
			return
		}
		downloads.Add(1)
		w.Write([]byte(`{"Version": 7, "Integrations": []}`))
	}))
	defer srv.Close()
	env := map[string]string{EnvCustomerID: "ticketania", EnvSecretKey: "s3cr3t", EnvAPIKey: "k", EnvConfigBaseURL: srv.URL}
	h, err := HandlerFromEnv(func(k string) string { return env[k] }, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n := downloads.Load(); n != 1 {
		t.Fatalf("%d downloads during init, want 1", n)
	}
	if st := h.Source.Status(); st.LastRefresh.IsZero() || st.LastError != nil || st.Version == "" {
		t.Fatalf("status after init: %+v", st)
	}
	if h.InitDone.Before(h.Started) {
		t.Fatal("init ended before it started")
	}
}
