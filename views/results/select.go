package results

// selection is a rectangle of cells: from its anchor to the cursor.
type selection struct {
	row, col int // the anchor
}
