package edge

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// SecretFD is the file descriptor at which every execution environment finds the waiting
// room's secret key: the edge passes it as an inherited file (fd 3, the first of
// exec.Cmd.ExtraFiles) and sets QUEUEIT_SECRET_KEY_FILE=/dev/fd/3.
const SecretFD = 3

// secretKeyPath is the file name the functions read the secret key from.
var secretKeyPath = fmt.Sprintf("/dev/fd/%d", SecretFD)

// secret holds the waiting room's secret key in an anonymous, sealed memory file (memfd): it
// never touches a file system, so nothing is left behind however the edge ends (SIGPIPE,
// kill -9, a crash); it dies with the last process that holds it. Each environment inherits it
// as fd 3 and may open /dev/fd/3 as often as it likes: every open of a memfd starts at offset 0.
type secret struct {
	f *os.File
}

// loadSecret returns the secret from key, or else from the file at path (trimmed of
// surrounding white space). Both empty: no secret (nil, nil).
func loadSecret(key, path string) (*secret, error) {
	switch {
	case key != "" && path != "":
		return nil, errors.New("secret key: set SecretKey or SecretKeyFile, not both")
	case path != "":
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("secret key file: %w", err)
		}
		key = strings.TrimSpace(string(b))
		if key == "" {
			return nil, fmt.Errorf("secret key file %s: empty", path)
		}
	case key == "":
		return nil, nil
	}
	return newSecret(key)
}

// newSecret puts key into a sealed memfd.
func newSecret(key string) (*secret, error) {
	fd, err := unix.MemfdCreate("qload-secret-key", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("secret key: memfd_create: %w", err)
	}
	f := os.NewFile(uintptr(fd), "qload-secret-key")
	if _, err := f.WriteString(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("secret key: write memfd: %w", err)
	}
	// Sealed: no process that inherits it can change or grow it.
	seals := unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE
	if _, err := unix.FcntlInt(f.Fd(), unix.F_ADD_SEALS, seals); err != nil {
		f.Close()
		return nil, fmt.Errorf("secret key: seal memfd: %w", err)
	}
	return &secret{f: f}, nil
}

// file is what an environment inherits as fd 3 (nil when there is no secret).
func (s *secret) file() *os.File {
	if s == nil {
		return nil
	}
	return s.f
}

func (s *secret) close() {
	if s != nil {
		s.f.Close()
	}
}
