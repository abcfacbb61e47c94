package output

import (
	"fmt"
	"io"

	"github.com/aims-dev/aims/pkg/diag"
)

type text struct {
	w    io.Writer
	opts Options
}

func newText(w io.Writer, opts Options) Writer { return &text{w, opts} }

func (t *text) Write(d diag.Diagnostic) error {
	d = t.opts.diag(d)
	_, err := fmt.Fprintln(t.w, d.String())
	return err
}

func (t *text) Flush(s Summary) error {
	if t.opts.Quiet {
		return nil
	}
	if s.Errors+s.Warnings+s.Infos == 0 {
		_, err := fmt.Fprintf(t.w, "%s checked: no problems\n", plural(s.Documents, "document"))
		return err
	}
	_, err := fmt.Fprintf(t.w, "%s checked: %s, %s\n", plural(s.Documents, "document"), plural(s.Errors, "error"), plural(s.Warnings, "warning"))
	return err
}
