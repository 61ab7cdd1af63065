package databases

import (
	"fmt"
	"time"

	"github.com/dbforge/dbforge/internal/units"
)

// Size formats a byte count for the list ("1.2 MiB", internal/units); 0
// reads as "—" since an MK1 gateway does not report sizes.
func Size(n int64) string {
	if n <= 0 {
		return "—"
	}
	return units.Bytes(n)
}

// Ago formats t relative to now ("12s ago", "5m ago", "3d ago"); the zero
// time reads as "—".
func Ago(t, now time.Time) string {
	if t.IsZero() || now.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	switch {
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	default:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	}
}
