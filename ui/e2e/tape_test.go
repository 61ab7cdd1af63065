package e2e

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// tapeStep is one replayable line of a VHS tape: key presses, or a pause.
type tapeStep struct {
	keys  []tea.KeyPressMsg
	sleep time.Duration
	line  int
}

// parseTape reads the steps a tape performs inside the program: everything
// after the Enter that follows the Type line running `dbforge`. Settings,
// Output, Hide/Show and comments are skipped; unknown commands are errors so
// the parser and the tape stay in step.
func parseTape(path string) ([]tapeStep, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var steps []tapeStep
	launched, launching := false, false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cmd, arg, _ := strings.Cut(line, " ")
		switch cmd {
		case "Output", "Set", "Hide", "Show", "Require", "Source":
			continue
		}
		if !launched {
			if cmd == "Type" {
				typed, _ := strconv.Unquote(strings.TrimSpace(arg))
				launching = strings.HasPrefix(typed, "dbforge ") || typed == "dbforge"
			} else if cmd == "Enter" && launching {
				launched = true
			}
			continue
		}
		st, err := parseStep(cmd, strings.TrimSpace(arg))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		st.line = n
		steps = append(steps, st)
	}
	if !launched {
		return nil, fmt.Errorf("%s: no Type line launching dbforge followed by Enter", path)
	}
	return steps, sc.Err()
}

var namedKeys = map[string]rune{
	"Enter": tea.KeyEnter, "Tab": tea.KeyTab, "Escape": tea.KeyEscape, "Space": tea.KeySpace,
	"Backspace": tea.KeyBackspace, "Up": tea.KeyUp, "Down": tea.KeyDown, "Left": tea.KeyLeft, "Right": tea.KeyRight,
}

func parseStep(cmd, arg string) (tapeStep, error) {
	if code, ok := namedKeys[cmd]; ok {
		count := 1
		if arg != "" {
			n, err := strconv.Atoi(arg)
			if err != nil {
				return tapeStep{}, fmt.Errorf("%s count %q", cmd, arg)
			}
			count = n
		}
		var st tapeStep
		for range count {
			st.keys = append(st.keys, tea.KeyPressMsg{Code: code})
		}
		return st, nil
	}
	switch {
	case cmd == "Type":
		s, err := strconv.Unquote(arg)
		if err != nil {
			return tapeStep{}, fmt.Errorf("Type needs a quoted string: %s", arg)
		}
		var st tapeStep
		for _, r := range s {
			st.keys = append(st.keys, tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		return st, nil
	case cmd == "Sleep":
		d, err := time.ParseDuration(arg)
		if err != nil {
			return tapeStep{}, fmt.Errorf("Sleep: %w", err)
		}
		return tapeStep{sleep: d}, nil
	case strings.HasPrefix(cmd, "Ctrl+") && len(cmd) == len("Ctrl+")+1:
		r := []rune(strings.ToLower(cmd[len("Ctrl+"):]))[0]
		return tapeStep{keys: []tea.KeyPressMsg{{Code: r, Mod: tea.ModCtrl}}}, nil
	case strings.HasPrefix(cmd, "Alt+") && len(cmd) == len("Alt+")+1:
		// VHS's Alt+<key> (e.g. Alt+5: focus Results from the editor)
		r := []rune(strings.ToLower(cmd[len("Alt+"):]))[0]
		return tapeStep{keys: []tea.KeyPressMsg{{Code: r, Mod: tea.ModAlt}}}, nil
	}
	return tapeStep{}, fmt.Errorf("unsupported tape command %q", cmd)
}
