package edge

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// runtimeClient plays a Lambda runtime against a runtimeAPI over real HTTP on loopback, with
// the connection habits of different runtimes.
type runtimeClient struct {
	base       string
	next, post *http.Client
}

func newRuntimeClient(a *runtimeAPI, habit string) *runtimeClient {
	keepAlive := &http.Client{Transport: &http.Transport{}}
	c := &runtimeClient{base: "http://" + a.addr() + "/2018-06-01/runtime/", next: keepAlive, post: keepAlive}
	switch habit {
	case "connection per request": // curl in a shell loop
		fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		c.next, c.post = fresh, fresh
	case "answer on another connection": // a runtime with a second client for its answers
		c.post = &http.Client{Transport: &http.Transport{}}
	}
	return c
}

// nextEvent asks for the next invocation and returns its request id and event.
func (c *runtimeClient) nextEvent() (string, []byte, error) {
	resp, err := c.next.Get(c.base + "invocation/next")
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Lambda-Runtime-Deadline-Ms") == "" {
		return "", nil, errors.New("next: " + resp.Status)
	}
	return resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), body, err
}

func (c *runtimeClient) send(path, body string) (int, error) {
	resp, err := c.post.Post(c.base+path, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// startRuntimeAPI serves a Runtime API for the test's duration.
func startRuntimeAPI(t *testing.T) *runtimeAPI {
	t.Helper()
	a, err := newRuntimeAPI(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	return a
}

// TestRuntimeAPI runs invocations through the Runtime API with runtimes of different habits
// and answers of every kind.
func TestRuntimeAPI(t *testing.T) {
	for _, habit := range []string{"keep-alive", "connection per request", "answer on another connection"} {
		t.Run(habit, func(t *testing.T) {
			a := startRuntimeAPI(t)
			rt := newRuntimeClient(a, habit)
			errs := make(chan error, 1)
			go func() { // the runtime: echo, then an error document, then an unknown id, then silence
				for i := 0; ; i++ {
					id, event, err := rt.nextEvent()
					if err != nil {
						errs <- err
						return
					}
					switch i {
					case 0, 1:
						if code, err := rt.send("invocation/"+id+"/response", string(event)); err != nil || code != 202 {
							errs <- errors.New("response not accepted")
							return
						}
						if i == 0 { // a runtime that takes its time before the next /next
							time.Sleep(time.Second)
						}
					case 2:
						if code, err := rt.send("invocation/"+id+"/error", `{"errorMessage":"boom","errorType":"TypeError"}`); err != nil || code != 202 {
							errs <- errors.New("error not accepted")
							return
						}
					case 3:
						if code, _ := rt.send("invocation/not-"+id+"/response", `{}`); code != 400 {
							errs <- errors.New("an unknown request id must be refused")
							return
						}
						// and no answer: the invocation times out
					}
				}
			}()
			invoke := func(payload string, timeout time.Duration) invokeResult {
				inv := &invocation{id: newRequestID(), payload: []byte(payload), deadline: time.Now().Add(timeout), done: make(chan invokeResult, 1)}
				return a.invoke(context.Background(), inv, make(chan struct{}))
			}
			for _, p := range []string{`{"n":1}`, `{"n":2}`} {
				start := time.Now()
				// The answer is back as soon as it is posted, whatever connection brings it.
				if res := invoke(p, 5*time.Second); res.sysErr != nil || res.fnErr != nil || string(res.body) != p || time.Since(start) > 700*time.Millisecond && p == `{"n":1}` {
					t.Fatalf("echo %s: %+v after %v", p, res, time.Since(start))
				}
			}
			if res := invoke(`{}`, 5*time.Second); res.fnErr == nil || res.fnErr.ErrorType != "TypeError" || res.fnErr.ErrorMessage != "boom" {
				t.Fatalf("error document: %+v", res)
			}
			start := time.Now()
			if res := invoke(`{}`, 300*time.Millisecond); !errors.Is(res.sysErr, ErrTimeout) || time.Since(start) > 3*time.Second {
				t.Fatalf("no answer: %+v after %v", res, time.Since(start))
			}
			select {
			case err := <-errs:
				t.Fatal(err)
			default:
			}
		})
	}
}

// TestRuntimeAPICancel: a viewer that goes away cancels the wait for the answer.
func TestRuntimeAPICancel(t *testing.T) {
	a := startRuntimeAPI(t)
	rt := newRuntimeClient(a, "keep-alive")
	go rt.nextEvent() // takes the event and never answers
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	inv := &invocation{id: newRequestID(), payload: []byte(`{}`), deadline: time.Now().Add(5 * time.Second), done: make(chan invokeResult, 1)}
	start := time.Now()
	if res := a.invoke(ctx, inv, make(chan struct{})); !errors.Is(res.sysErr, context.Canceled) || time.Since(start) > 3*time.Second {
		t.Fatalf("cancel: %+v after %v", res, time.Since(start))
	}
}

// TestRuntimeAPIInitErrorAndUnknownPaths covers init/error and requests the API does not know.
func TestRuntimeAPIInitErrorAndUnknownPaths(t *testing.T) {
	a := startRuntimeAPI(t)
	rt := newRuntimeClient(a, "keep-alive")
	if code, err := rt.send("init/error", `{"errorMessage":"no config","errorType":"Runtime.Init"}`); err != nil || code != 202 {
		t.Fatalf("init/error: %d %v", code, err)
	}
	select {
	case fe := <-a.initErr:
		if fe.ErrorType != "Runtime.Init" || fe.ErrorMessage != "no config" {
			t.Fatalf("init error %+v", fe)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("init error not reported")
	}
	for _, path := range []string{"invocation/x/other", "nothing"} {
		if code, _ := rt.send(path, `{}`); code != 404 {
			t.Errorf("%s: %d, want 404", path, code)
		}
	}
	resp, err := http.Post("http://"+a.addr()+"/elsewhere", "text/plain", bytes.NewReader(nil))
	if err != nil || resp.StatusCode != 404 {
		t.Fatalf("outside the API: %v %v", resp, err)
	}
	resp.Body.Close()
}
