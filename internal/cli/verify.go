package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/smarthook/smarthook/internal/verify"
	"github.com/spf13/cobra"
)

// VerifyOptions are the flags and streams of `smarthook verify`.
type VerifyOptions struct {
	IO         IO
	Paths      []string
	SecretEnv  string
	SecretFile string
	Meta       string
	Format     string
	S3Endpoint string
}

// NewCmdVerify builds `smarthook verify`.
func NewCmdVerify(streams IO) *cobra.Command {
	opts := &VerifyOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "verify (--secret-env VAR | --secret-file FILE) PATH...",
		Short: "Check the signatures of hooks that listen stored with their headers",
		Long: `Check offline the X-Smartsupp-Hmac signature of each hook that ` + "`smarthook listen`" + ` stored
with its request headers: a --dir folder (NAME.json with its NAME.json.meta, or the same
objects under s3://bucket/prefix/), a single NAME.json, or an --ndjson FILE (line N
described by line N of FILE.meta, or of --meta).

Each hook is valid (the signature is the HMAC-SHA256 of the body as received under the
secret: the stored body, or for a line --ndjson compacted, the bytes its meta line
keeps), invalid, changed (the stored body is not the one received: its SHA-256
differs from the metadata's, or the line is not the kept bytes compacted), no
signature (headers kept, no signature among them) or no headers (no metadata kept). Signatures are compared in constant time. The secret
comes from an environment variable (--secret-env) or a file (--secret-file, one line,
the newline at its end dropped), never from the command line.

Prints one line per hook and a summary on stderr; exits 1 when any hook is invalid or
changed.`,
		Example: `  SMARTSUPP_SECRET=... smarthook verify --secret-env SMARTSUPP_SECRET captured/
  smarthook verify --secret-file secret.txt hooks.ndjson
  smarthook verify --secret-file secret.txt --format json captured/ | jq -r 'select(.status != "valid") | .origin'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return runVerify(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.SecretEnv, "secret-env", "", "environment variable holding the secret")
	f.StringVar(&opts.SecretFile, "secret-file", "", "file holding the secret")
	f.StringVar(&opts.Meta, "meta", "", "metadata file of a single NDJSON path (default FILE.meta)")
	f.StringVar(&opts.S3Endpoint, "s3-endpoint", "", "address of the S3-compatible storage of s3:// paths (MinIO, R2, Ceph, GCS; default AWS_ENDPOINT_URL, else AWS)")
	enumFlag(cmd, &opts.Format, "format", "", "text", []string{"text", "json"}, "output format")
	return cmd
}

func runVerify(opts *VerifyOptions) error {
	secret, err := opts.secret()
	if err != nil {
		return err
	}
	if opts.Meta != "" && len(opts.Paths) != 1 {
		return usageErrorf("--meta goes with a single NDJSON path")
	}
	c := &verify.Checker{Secret: secret, Meta: opts.Meta, S3Endpoint: opts.S3Endpoint}
	counts := map[string]int64{}
	bad := false
	report := func(r verify.Result) {
		counts[r.Status]++
		bad = bad || r.Bad()
		if opts.Format == "json" {
			b, _ := json.Marshal(r)
			opts.IO.Out.Write(append(b, '\n'))
			return
		}
		fmt.Fprintf(opts.IO.Out, "%s: %s\n", r.Origin, r.Status)
	}
	unreadable := false
	for _, p := range opts.Paths {
		if err := c.Path(p, report); err != nil {
			fmt.Fprintf(opts.IO.Err, "smarthook: %v\n", unwrapPath(err))
			unreadable = true
		}
	}
	printVerifyCounts(opts, counts)
	switch {
	case bad:
		return errProblems
	case unreadable:
		return errUnreadable
	}
	return nil
}

// secret reads the secret from the variable or the file the flags name.
func (o *VerifyOptions) secret() ([]byte, error) {
	switch {
	case (o.SecretEnv == "") == (o.SecretFile == ""):
		return nil, usageErrorf("give the secret with either --secret-env VAR or --secret-file FILE")
	case o.SecretEnv != "":
		return secretFromEnv(o.IO, "--secret-env", o.SecretEnv)
	}
	b, err := os.ReadFile(o.SecretFile)
	if err != nil {
		return nil, usageErrorf("--secret-file: %v", unwrapPath(err))
	}
	b = bytes.TrimSuffix(bytes.TrimSuffix(b, []byte("\n")), []byte("\r"))
	if len(b) == 0 {
		return nil, usageErrorf("--secret-file %s is empty", o.SecretFile)
	}
	return b, nil
}

// printVerifyCounts draws the summary on stderr.
func printVerifyCounts(opts *VerifyOptions, counts map[string]int64) {
	var rows [][]string
	var total int64
	for _, s := range verify.Statuses {
		total += counts[s]
		if counts[s] > 0 {
			rows = append(rows, []string{s, strconv.FormatInt(counts[s], 10)})
		}
	}
	rows = append(rows, []string{"hooks checked", strconv.FormatInt(total, 10)})
	t := tablewriter.NewWriter(opts.IO.Err)
	t.Header("signature", "count")
	if err := t.Bulk(rows); err == nil {
		_ = t.Render()
	} else {
		fmt.Fprintln(opts.IO.Err, strings.TrimSpace(err.Error()))
	}
}
