package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/policy"
	"github.com/leakwatch/leakwatch/internal/report"
)

type diffOptions struct {
	format    string
	failOnNew bool
}

func newDiffCmd(e *env) *cobra.Command {
	var o diffOptions
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "Show what changed between two JSON reports",
		Long: `Diff compares two leakwatch JSON reports (for example the last release's and this one's) and
shows what is new, gone and changed: companies, data kinds reaching a company, pixel IDs and
finding types. Companies are compared as the reports group findings and pixel hits by company
(their "companies" field, worked out again for reports written before it existed).

` + exitHelp,
		Example: `  leakwatch diff last-release.json this-release.json
  leakwatch diff --format json --fail-on-new old.json new.json`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.format != "text" && o.format != "json" {
				return usagef("unknown --format %q: want text or json", o.format)
			}
			old, err := readReport(args[0])
			if err != nil {
				return usageError{err}
			}
			cur, err := readReport(args[1])
			if err != nil {
				return usageError{err}
			}
			d := policy.Diff(old, cur)
			if o.format == "json" {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(d); err != nil {
					return err
				}
			} else {
				// Company, host and pixel ID come from the reports' traffic.
				report.SanitizeAll(d)
				if err := d.WriteText(e.stdout); err != nil {
					return err
				}
			}
			if o.failOnNew && d.HasNew() {
				return fmt.Errorf("%w: new findings since %s", errPolicy, args[0])
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	cmd.Flags().BoolVar(&o.failOnNew, "fail-on-new", false, "exit 3 when NEW has anything OLD did not")
	return cmd
}
