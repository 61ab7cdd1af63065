package cli

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

func newHealthCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "health",
		Short: "Check the gateway: status, version, uptime, databases, checks",
		Long: `Check the gateway's health. Exits 0 when healthy; when the gateway is
unreachable or reports itself unhealthy, prints why on stderr and exits 1.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPrint(cmd, format, func(s *Session, p *printer, b *bytes.Buffer) error {
				ctx, stop := commandContext(cmd)
				defer stop()
				h, err := s.Client.Health(ctx)
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
