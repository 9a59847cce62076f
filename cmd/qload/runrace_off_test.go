//go:build !race

package main

// runRace: the race detector is on (the edge's connector processes are this slow binary).
const runRace = false
