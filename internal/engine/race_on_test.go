//go:build race

package engine

// raceDetector: the race detector slows every goroutine several times, so
// throughput figures (the audit writer's rate) do not hold under it.
const raceDetector = true
