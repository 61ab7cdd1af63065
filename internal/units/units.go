// Package units formats byte counts the one way DB-Forge shows them, in
// the TUI and the CLI alike.
//
// The units are IEC binary ones (KiB = 1024 B, MiB, GiB…): the sizes shown
// are of files and SQLite pages and of limits that are powers of two
// (--max-body 32 MiB), so binary units give round numbers, and "KiB" cannot
// be misread the way "kB"/"KB" are.
package units

import (
	"strconv"
)

// Bytes formats n as "512 B", "24.0 KiB", "3.5 MiB", "1.2 GiB": one
// decimal from KiB up, so columns of sizes line up.
func Bytes(n int64) string {
	sign, u := "", uint64(n)
	if n < 0 {
		sign, u = "-", uint64(-(n+1))+1 // no overflow at math.MinInt64
	}
	const unit = 1024
	if u < unit {
		return sign + strconv.FormatUint(u, 10) + " B"
	}
	div, exp := uint64(unit), 0
	for m := u / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return sign + strconv.FormatFloat(float64(u)/float64(div), 'f', 1, 64) + " " + string("KMGTPE"[exp]) + "iB"
}
