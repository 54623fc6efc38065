package stats

import "io"

// WriteHTML writes the self-contained HTML report.
func WriteHTML(w io.Writer, r *Report) error { return nil }
