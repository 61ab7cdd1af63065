package plan

import "testing"

// TestIsFullScanPostgreSQL: PostgreSQL's plan details (as the gateway maps
// EXPLAIN (FORMAT JSON) nodes) count a Seq Scan as a full scan and an
// index scan not, so the title does not say "no full scans" over one.
func TestIsFullScanPostgreSQL(t *testing.T) {
	for detail, want := range map[string]bool{
		"Seq Scan on items (cost=0.00..16.40 rows=640 width=90)":                     true,
		"Parallel Seq Scan on big (cost=0.00..8591.67 rows=416667 width=4)":          true,
		"Index Scan using items_pkey on items (cost=0.15..8.17 rows=1 width=90)":     false,
		"Index Only Scan using items_pkey on items (cost=0.15..4.17 rows=1 width=4)": false,
		"Bitmap Heap Scan on items (cost=4.18..12.64 rows=4 width=90)":               false,
		"Sort (cost=46.23..47.83 rows=640 width=90)":                                 false,
		"Result (cost=0.00..0.01 rows=1 width=4)":                                    false,
		"Function Scan on generate_series i (cost=0.00..10.00 rows=1000 width=4)":    false,
		"Hash Join (cost=1.09..2.24 rows=4 width=12)":                                false,
	} {
		if got := IsFullScan(detail); got != want {
			t.Errorf("IsFullScan(%q) = %v, want %v", detail, got, want)
		}
	}
}
