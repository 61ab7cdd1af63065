package results

import (
	"errors"
	"testing"

	"github.com/dbforge/dbforge/client"
)

// The grid says what rows it holds whenever they change, numbered so a
// late message is recognised: the chart draws from that, not from the root.
func TestShownFollowsTheLeadingRows(t *testing.T) {
	m := newTestModel(t, 80, 20)
	first := &client.QueryResult{Columns: synthCols(3), Rows: synth(0, PageSize, 3), HasMore: true}
	got := only[Shown](msgs(m.SetResult(1, "SELECT", first)))
	if len(got) != 1 || got[0].QueryID != 1 || len(got[0].Rows) != PageSize || len(got[0].Columns) != 3 {
		t.Fatalf("SetResult announced %+v", got)
	}
	last := got[0]

	// a page after a gap does not change the leading rows: nothing to say
	if s := only[Shown](msgs(m.SetPage(1, 2*PageSize, synth(2*PageSize, PageSize, 3), true))); len(s) != 0 {
		t.Fatalf("a page after a gap announced %d rows", len(s[0].Rows))
	}
	// the page that fills the gap brings all three pages
	s := only[Shown](msgs(m.SetPage(1, PageSize, synth(PageSize, PageSize, 3), true)))
	if len(s) != 1 || len(s[0].Rows) != 3*PageSize || !s[0].After(last.QueryID, last.Seq) {
		t.Fatalf("the contiguous page announced %+v", s)
	}
	last = s[0]
	if last.After(last.QueryID, last.Seq+1) {
		t.Fatal("After holds for an older Seq")
	}

	// a failure leaves no rows to draw
	s = only[Shown](msgs(m.SetError(errors.New("no such table"))))
	if len(s) != 1 || len(s[0].Rows) != 0 || len(s[0].Columns) != 0 || !s[0].After(last.QueryID, last.Seq) {
		t.Fatalf("SetError announced %+v", s)
	}
	if s := only[Shown](msgs(m.SetMessage("ran 3 statements"))); len(s) != 1 || len(s[0].Rows) != 0 {
		t.Fatalf("SetMessage announced %+v", s)
	}
}
