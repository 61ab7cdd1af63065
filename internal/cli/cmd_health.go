package cli

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dbforge/dbforge/client"
)

func newHealthCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "health",
		Short: "Check the gateway: status, version, uptime, databases, checks",
		Long: `Check the gateway's health. Exits 0 when healthy; when the gateway is
unreachable or reports itself unhealthy, prints why on stderr and exits 1.
An MK1 gateway has no health route: it is reported reachable (exit 0), with
the DB-Forge features it lacks.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPrint(cmd, format, func(s *Session, p *printer, b *bytes.Buffer) error {
				ctx, stop := commandContext(cmd)
				defer stop()
				h, err := s.Client.Health(ctx)
				if errors.Is(err, client.ErrUnsupported) {
					return mk1Health(ctx, s, p, b)
				}
				if err != nil {
					return err
				}
				if h.Status != "healthy" {
					why := strings.Join(h.Errors, "; ")
					if why == "" {
						why = "status " + h.Status
					}
					return errors.New("gateway unhealthy: " + why)
				}
				kv := []any{
					"status", h.Status,
					"mode", s.Mode(),
					"version", h.Version,
					"uptime", fmtSeconds(h.UptimeSeconds),
					"databases_running", h.Databases.Running,
					"databases_stopped", h.Databases.Stopped,
				}
				names := make([]string, 0, len(h.Checks))
				for k := range h.Checks {
					names = append(names, k)
				}
				slices.Sort(names)
				for _, k := range names {
					kv = append(kv, "check_"+k, h.Checks[k])
				}
				return p.doc(b, h, "", fieldGrid(kv...))
			})
		},
	}
	addFormatFlag(cmd, &format)
	return cmd
}

// mk1HealthDoc is what health says of an MK1 gateway.
type mk1HealthDoc struct {
	Status  string   `json:"status"` // "reachable"
	Gateway string   `json:"gateway"`
	Mode    string   `json:"mode"`
	Message string   `json:"message"`
	Missing []string `json:"missing"`
}

// mk1Health reports an MK1 gateway: reachable when its root answers, and
// which DB-Forge features it lacks.
func mk1Health(ctx context.Context, s *Session, p *printer, b *bytes.Buffer) error {
	root, err := s.Client.Root(ctx)
	if err != nil {
		return err
	}
	caps, err := s.Client.Capabilities(ctx)
	if err != nil {
		return err
	}
	d := mk1HealthDoc{Status: "reachable", Gateway: "MK1", Mode: s.Mode(), Message: root.Message, Missing: caps.Missing()}
	return p.doc(b, d, "", fieldGrid(
		"status", d.Status,
		"gateway", d.Gateway+" (no health route; DB-Forge extensions unavailable)",
		"mode", d.Mode,
		"message", d.Message,
		"missing", strings.Join(d.Missing, ", "),
	))
}
