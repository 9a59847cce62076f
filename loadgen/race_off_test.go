//go:build !race

package loadgen

// raceEnabled: the race detector is on.
const raceEnabled = false
