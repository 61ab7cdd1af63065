package action

import tea "charm.land/bubbletea/v2"

// Prompt asks the user for one line of text in an overlay. Validate (when
// set) is run on every change and its error shown inline; OnSubmit builds the
// message sent when the user presses enter on a valid value.
type Prompt struct {
	Title       string
	Label       string
	Placeholder string
	Path        bool // the answer is a file path: tab completes it
	Validate    func(string) error
	OnSubmit    func(string) tea.Msg
	Choice      *Choice // a one-of picker under the text, e.g. a new database's backend
}

// Choice is a one-of picker shown under a prompt's text: tab and
// shift+tab step through Options (typing still goes to the text). A
// prompt with a Choice sends OnSubmit(text, option) instead of its own
// OnSubmit.
type Choice struct {
	Label    string
	Options  []string
	Selected int // index into Options shown first
	OnSubmit func(text, option string) tea.Msg
}

// ConfirmName asks the user to type Name exactly before OnYes is sent; it
// guards actions that cannot be undone.
type ConfirmName struct {
	Prompt string
	Detail string
	Name   string
	OnYes  tea.Msg
}
