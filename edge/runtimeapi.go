package edge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Lambda Runtime API, as an execution environment's process sees it at
// http://$AWS_LAMBDA_RUNTIME_API: GET /2018-06-01/runtime/invocation/next blocks until an
// invocation is ready and answers it with the Lambda-Runtime-Aws-Request-Id and
// Lambda-Runtime-Deadline-Ms headers; POST .../invocation/{id}/response and .../{id}/error
// answer it (202); POST /2018-06-01/runtime/init/error reports a failed initialization.
const runtimePrefix = "/2018-06-01/runtime/"

// invocation is one event handed to an execution environment.
type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
	done     chan invokeResult // buffered, 1
}

// invokeResult is how an invocation ended.
type invokeResult struct {
	body     []byte
	fnErr    *FunctionError // the function reported an error (POST .../error)
	sysErr   error          // the environment failed (crash, timeout, shutdown)
	duration time.Duration
}

// FunctionError is the error document a function posts to .../error or .../init/error.
type FunctionError struct {
	ErrorMessage string   `json:"errorMessage"`
	ErrorType    string   `json:"errorType"`
	StackTrace   []string `json:"stackTrace,omitempty"`
}

func (e *FunctionError) Error() string { return e.ErrorType + ": " + e.ErrorMessage }

// runtimeAPI serves the Runtime API of one execution environment on its own loopback listener.
type runtimeAPI struct {
	ln   net.Listener
	srv  *http.Server
	next chan *invocation

	mu        sync.Mutex
	current   map[string]*invocation
	ready     chan struct{} // closed at the first /next: initialization is over
	readyOnce sync.Once
	initErr   chan *FunctionError
	closed    chan struct{}
	closeOnce sync.Once
	// firstNextDelay holds back the first /next answer (fault injection: slow init).
	firstNextDelay time.Duration
}

func newRuntimeAPI(firstNextDelay time.Duration) (*runtimeAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &runtimeAPI{
		ln: ln, next: make(chan *invocation), current: map[string]*invocation{},
		ready: make(chan struct{}), initErr: make(chan *FunctionError, 1), closed: make(chan struct{}),
		firstNextDelay: firstNextDelay,
	}
	a.srv = &http.Server{Handler: a, ReadHeaderTimeout: 5 * time.Second}
	go a.srv.Serve(ln)
	return a, nil
}

// addr is the value of AWS_LAMBDA_RUNTIME_API.
func (a *runtimeAPI) addr() string { return a.ln.Addr().String() }

func (a *runtimeAPI) close() {
	a.closeOnce.Do(func() {
		close(a.closed)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		a.srv.Shutdown(ctx)
		a.srv.Close()
	})
}

func (a *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, runtimePrefix)
	switch {
	case !ok:
		http.NotFound(w, r)
	case path == "invocation/next" && r.Method == http.MethodGet:
		a.serveNext(w, r)
	case path == "init/error" && r.Method == http.MethodPost:
		fe := readFunctionError(r)
		select {
		case a.initErr <- fe:
		default:
		}
		w.WriteHeader(http.StatusAccepted)
	case strings.HasPrefix(path, "invocation/") && r.Method == http.MethodPost:
		id, kind, _ := strings.Cut(strings.TrimPrefix(path, "invocation/"), "/")
		if kind != "response" && kind != "error" {
			http.NotFound(w, r)
			return
		}
		a.mu.Lock()
		inv := a.current[id]
		delete(a.current, id)
		a.mu.Unlock()
		if inv == nil {
			http.Error(w, `{"errorMessage":"unknown request id","errorType":"InvalidRequestID"}`, http.StatusBadRequest)
			return
		}
		switch kind {
		case "response":
			body, err := io.ReadAll(io.LimitReader(r.Body, 6<<20+1))
			if err != nil {
				inv.done <- invokeResult{sysErr: err}
			} else {
				inv.done <- invokeResult{body: body}
			}
		default:
			inv.done <- invokeResult{fnErr: readFunctionError(r)}
		}
		w.WriteHeader(http.StatusAccepted)
	default:
		http.NotFound(w, r)
	}
}

func (a *runtimeAPI) serveNext(w http.ResponseWriter, r *http.Request) {
	first := false
	select {
	case <-a.ready:
	default:
		first = true
	}
	if first && a.firstNextDelay > 0 {
		select {
		case <-time.After(a.firstNextDelay):
		case <-a.closed:
			return
		}
	}
	a.readyOnce.Do(func() { close(a.ready) })
	select {
	case inv := <-a.next:
		a.mu.Lock()
		a.current[inv.id] = inv
		a.mu.Unlock()
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:qload-edge")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0")
		h.Set("Content-Type", "application/json")
		w.Write(inv.payload)
	case <-r.Context().Done():
	case <-a.closed:
	}
}

// invoke hands inv to the environment's runtime at its next GET /next and waits for the
// answer, from whichever connection brings it, until inv's deadline. exited is closed when the
// environment's process has exited.
func (a *runtimeAPI) invoke(ctx context.Context, inv *invocation, exited <-chan struct{}) invokeResult {
	timer := time.NewTimer(time.Until(inv.deadline))
	defer timer.Stop()
	next := a.next
	for {
		select {
		case next <- inv:
			next = nil // handed over: wait for the answer
		case res := <-inv.done:
			return res
		case <-exited:
			return invokeResult{sysErr: ErrCrashed}
		case <-timer.C:
			return invokeResult{sysErr: ErrTimeout}
		case <-ctx.Done():
			return invokeResult{sysErr: ctx.Err()}
		case <-a.closed:
			return invokeResult{sysErr: errClosed}
		}
	}
}

func readFunctionError(r *http.Request) *FunctionError {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	fe := &FunctionError{}
	if err := json.Unmarshal(bytes.TrimSpace(b), fe); err != nil || (fe.ErrorMessage == "" && fe.ErrorType == "") {
		fe = &FunctionError{ErrorType: r.Header.Get("Lambda-Runtime-Function-Error-Type"), ErrorMessage: string(b)}
	}
	if fe.ErrorType == "" {
		fe.ErrorType = "Unhandled"
	}
	return fe
}

// errClosed reports an environment that went away.
var errClosed = errors.New("execution environment closed")
