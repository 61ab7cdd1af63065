package engine

import (
	"testing"
	"time"
)

// A sustained flow of entries well above what one batch per linger period
// carries (512 per 20 ms plus the write: about 21k/s here) is written whole: the writer does
// not sleep while a full batch waits, so the queue never overflows.
func TestAuditKeepsUpWithSustainedLoad(t *testing.T) {
	e := openTest(t, nil)
	const chunks, perChunk = 20, 3000 // 30k entries/s for two seconds
	for range chunks {
		for range perChunk {
			e.Audit(AuditEntry{KeyID: "k", Route: "POST /api/db/{db}/query", Database: "d", Kind: KindRead, Status: 200})
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitFor(t, func() bool { w, d := e.AuditStats(); return w+d == chunks*perChunk })
	if w, d := e.AuditStats(); d != 0 || w != chunks*perChunk {
		t.Fatalf("written %d, dropped %d of %d", w, d, chunks*perChunk)
	}
}
