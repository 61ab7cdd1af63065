package engine

import (
	"context"
	"fmt"
)

// SpawnScript creates database name filled by a SQL script (a template):
// the script runs in one transaction on a new file prepared under a hidden
// name, with the same statement rules as ImportSQL, the authorizer of
// every writer and the size quota, bounded by TransferTimeout. Only a
// complete, committed file becomes the database, so a failing script
// leaves no database behind. An existing name (running or pruned) is
// ErrExists: a template fills a new database only.
func (e *Engine) SpawnScript(ctx context.Context, name, script string) (Instance, ScriptResult, error) {
	// a half-made file is removed whatever the caller does meanwhile
	ctx = context.WithoutCancel(ctx)
	if !ValidName(name) {
		return Instance{}, ScriptResult{}, ErrInvalidName
	}
	stmts, err := scriptStatements(script)
	if err != nil {
		return Instance{}, ScriptResult{}, err
	}
	if err := e.canCreate(ctx, name); err != nil {
		return Instance{}, ScriptResult{}, err
	}
	staged, err := e.stagePath(name, "template")
	if err != nil {
		return Instance{}, ScriptResult{}, fmt.Errorf("create %s: %w", name, err)
	}
	res, err := e.fillStaged(ctx, staged, stmts)
	if err != nil {
		removeFiles(staged)
		return Instance{}, ScriptResult{}, err
	}
	in, err := e.adoptStaged(ctx, name, staged)
	return in, res, err
}

// fillStaged runs the script on a new file at staged, through the same
// connections a running database has, and closes them (checkpointing).
func (e *Engine) fillStaged(ctx context.Context, staged string, stmts []indexedStatement) (ScriptResult, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.TransferTimeout)
	defer cancel()
	c, err := openConns(ctx, staged, &e.cfg, e.drv)
	if err != nil {
		return ScriptResult{}, err
	}
	res, err := execScript(ctx, c, stmts)
	if cerr := c.close(); err == nil && cerr != nil {
		err = fmt.Errorf("checkpoint: %w", cerr)
	}
	return res, err
}
