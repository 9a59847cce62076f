package js

import "unsafe"

// bytesToString returns b as a string without copying. The caller must not
// use b afterwards (the pattern strings.Builder uses).
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
