package edge

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Errors of an execution environment.
var (
	// ErrTimeout is an invocation that ran past the function's timeout.
	ErrTimeout = errors.New("function timed out")
	// ErrCrashed is an environment whose process exited during an invocation or init.
	ErrCrashed = errors.New("function process exited")
)

// environment is one execution environment: a real process running the function's program,
// talking to its own Runtime API. It runs one invocation at a time.
type environment struct {
	id      int
	fn      *Function
	api     *runtimeAPI
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has exited
	exitErr error

	spawned  time.Time
	initDur  time.Duration // spawn → first /next
	lastUsed time.Time
	killOnce sync.Once
}

// start spawns the environment's process and waits until it asks for its first invocation
// (the end of its init phase), bounded by the function's init timeout and ctx.
func startEnvironment(ctx context.Context, fn *Function, id int, logs io.Writer) (*environment, error) {
	api, err := newRuntimeAPI(fn.faultSlowInit())
	if err != nil {
		return nil, err
	}
	e := &environment{id: id, fn: fn, api: api, exited: make(chan struct{})}
	cmd := exec.Command(fn.Command[0], fn.Command[1:]...)
	cmd.Env = lambdaEnvironment(fn, api.addr(), id)
	cmd.ExtraFiles = fn.Files
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	e.spawned = time.Now()
	if err := cmd.Start(); err != nil {
		api.close()
		return nil, fmt.Errorf("start %s: %w", fn.Name, err)
	}
	e.cmd = cmd
	go func() {
		e.exitErr = cmd.Wait()
		close(e.exited)
	}()
	timer := time.NewTimer(fn.InitTimeout)
	defer timer.Stop()
	select {
	case <-api.ready:
		e.initDur = time.Since(e.spawned)
		e.lastUsed = time.Now()
		return e, nil
	case fe := <-api.initErr:
		e.kill()
		return nil, fmt.Errorf("%s init: %w", fn.Name, fe)
	case <-e.exited:
		e.kill()
		return nil, fmt.Errorf("%s init: %w (%v)", fn.Name, ErrCrashed, e.exitErr)
	case <-timer.C:
		e.kill()
		return nil, fmt.Errorf("%s init: %w after %s", fn.Name, ErrTimeout, fn.InitTimeout)
	case <-ctx.Done():
		e.kill()
		return nil, ctx.Err()
	}
}

// invoke runs one invocation. A timeout or crash leaves the environment unusable (the caller
// discards it).
func (e *environment) invoke(ctx context.Context, payload []byte) invokeResult {
	start := time.Now()
	if e.fn.faultCrash() {
		e.kill()
		return invokeResult{sysErr: ErrCrashed, duration: time.Since(start)}
	}
	inv := &invocation{id: newRequestID(), payload: payload, deadline: start.Add(e.fn.Timeout), done: make(chan invokeResult, 1)}
	res := e.api.invoke(ctx, inv, e.exited)
	res.duration = time.Since(start)
	e.lastUsed = time.Now()
	return res
}

// kill ends the environment's process group and its Runtime API.
func (e *environment) kill() {
	e.killOnce.Do(func() {
		if e.cmd != nil && e.cmd.Process != nil {
			syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
			select {
			case <-e.exited:
			case <-time.After(2 * time.Second):
			}
		}
		e.api.close()
	})
}

func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
