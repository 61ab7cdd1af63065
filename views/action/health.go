package action

// ActivityShown says the health pane switched between its health read-out
// (Shown false) and the recent activity of the current database (Shown
// true), so the root polls what is now on screen at once.
type ActivityShown struct{ Shown bool }
