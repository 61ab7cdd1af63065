package postgres

// One throwaway PostgreSQL cluster (internal/pgtest) for all of this
// package's tests: starting one costs seconds on a loaded machine.

import (
	"os"
	"testing"

	"github.com/dbforge/dbforge/internal/pgtest"
)

// testCluster is set by TestMain before any test runs and only read after.
var testCluster *pgtest.Cluster

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &testCluster)) }

// needPG skips (or, with DBFORGE_REQUIRE_POSTGRES=1, fails) a test when the
// cluster did not start, and returns its admin DSN.
func needPG(t *testing.T) string {
	t.Helper()
	testCluster.Need(t)
	return testCluster.AdminDSN()
}
