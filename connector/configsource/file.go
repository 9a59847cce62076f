package configsource

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/qload/qload/connector"
)

// File is a Source reading a config file, re-read when its modification time or size changes
// (checked at most once per CheckEvery). A file that fails to parse keeps the previous config.
type File struct {
	Path       string
	CheckEvery time.Duration

	mu      sync.Mutex
	cfg     *connector.Config
	mod     time.Time
	size    int64
	checked time.Time
	status  Status
}

// NewFile returns a File source and loads the file once, reporting a config that cannot be used.
func NewFile(path string) (*File, error) {
	f := &File{Path: path, CheckEvery: time.Second}
	if _, err := f.Config(context.Background()); err != nil {
		return nil, err
	}
	return f, nil
}

// Config returns the file's config, reloading it when the file changed.
func (f *File) Config(context.Context) (*connector.Config, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if f.cfg != nil && now.Sub(f.checked) < f.CheckEvery {
		return f.cfg, nil
	}
	f.checked = now
	st, err := os.Stat(f.Path)
	if err == nil && f.cfg != nil && st.ModTime().Equal(f.mod) && st.Size() == f.size {
		return f.cfg, nil
	}
	var data []byte
	if err == nil {
		data, err = os.ReadFile(f.Path)
	}
	var cfg *connector.Config
	if err == nil {
		cfg, err = connector.ParseConfig(data)
	}
	f.status.Refreshes++
	if err != nil {
		f.status.Failures++
		f.status.LastError = fmt.Errorf("config file %s: %w", f.Path, err)
		if f.cfg == nil {
			return nil, f.status.LastError
		}
		return f.cfg, nil
	}
	f.cfg, f.mod, f.size = cfg, st.ModTime(), st.Size()
	sum := sha256.Sum256(data)
	f.status = Status{Version: cfg.Version() + "/" + hex.EncodeToString(sum[:6]), LastRefresh: now,
		Refreshes: f.status.Refreshes, Failures: f.status.Failures}
	return cfg, nil
}

// Status reports the config in force.
func (f *File) Status() Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}
