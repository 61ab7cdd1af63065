package units

import (
	"math"
	"testing"
)

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0:             "0 B",
		1023:          "1023 B",
		1024:          "1.0 KiB",
		1536:          "1.5 KiB",
		24 * 1024:     "24.0 KiB",
		32 << 20:      "32.0 MiB",
		3<<30 + 1<<29: "3.5 GiB",
		5 << 40:       "5.0 TiB",
		math.MaxInt64: "8.0 EiB",
		-2048:         "-2.0 KiB",
		math.MinInt64: "-8.0 EiB",
	} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
