//go:build !linux

package metrics

// ProcessFamilies is empty off Linux: the process_* figures come from
// /proc.
func ProcessFamilies() []Family { return nil }
