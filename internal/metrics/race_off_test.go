//go:build !race

package metrics

// raceDetector: the race detector allocates on its own, so allocation
// bounds do not hold under it.
const raceDetector = false
