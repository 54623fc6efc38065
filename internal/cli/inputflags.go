package cli

import (
	"strconv"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/spf13/pflag"
)

// inputReading says how a command reads its inputs and which reading flags it offers.
type inputReading uint8

const (
	// readElements reads a top-level array element by element, each element a
	// document (validate, convert, redact, replay: commands about payloads).
	readElements inputReading = 1 << iota
	// offerSplitArrays adds --split-arrays, for commands that keep jq's meaning (an
	// array is one document) unless asked (query, pretty).
	offerSplitArrays
	// offerAllowEmpty adds --allow-empty: without it, reading no document at all is a
	// problem (exit 1), so that a CI job does not go green on an empty folder.
	offerAllowEmpty
	// boundOutput works on and writes a batch in parts when its documents could make a
	// large output (pretty, query: output grows with length and nesting).
	boundOutput
)

// addInputFlags declares the reading flags every reading command shares, into o.
// command names the command in the notes printed about the reading.
func addInputFlags(f *pflag.FlagSet, o *input.Options, command string, how inputReading) {
	o.Command = command
	o.SplitArrays = how&readElements != 0
	o.BoundOutput = how&boundOutput != 0
	f.Var(&sizeValue{&o.MaxDocSize, input.DefaultMaxDocSize}, "max-doc-size",
		"refuse documents larger than this (units: KiB, MiB, GiB, KB, MB, GB; 0 = no limit)")
	f.Var(&sizeValue{&o.MaxMemberSize, input.DefaultMaxMemberSize}, "max-member-size",
		"stop reading a compressed file or archive member past this many bytes once decompressed (0 = no limit)")
	addShardFlags(f, &o.Shard)
	f.StringVar(&o.S3Endpoint, "s3-endpoint", "", "address of the S3-compatible storage s3:// inputs are read from (MinIO, R2, Ceph, GCS; default AWS_ENDPOINT_URL, else AWS)")
	if how&offerSplitArrays != 0 {
		f.BoolVar(&o.SplitArrays, "split-arrays", o.SplitArrays, "read a top-level array element by element, each element a document")
	}
	if how&offerAllowEmpty != 0 {
		o.FailEmpty = true
		f.Var(&notValue{&o.FailEmpty}, "allow-empty", "succeed when the inputs hold no document at all")
		f.Lookup("allow-empty").NoOptDefVal = "true"
	}
}

// readOptions are a command's reading options with its streams: stdin to read "-"
// from, stderr for the notes about the reading.
func readOptions(o input.Options, s IO) input.Options {
	o.Stdin = s.In
	o.Notices = s.Err
	return o
}

// sizeValue is a byte size flag: 512MiB, 10MB, 4096; 0 means no limit.
type sizeValue struct {
	p   *int64
	def int64
}

func (v *sizeValue) String() string {
	switch n := *v.p; {
	case n == 0:
		return input.FormatSize(v.def)
	case n < 0:
		return "0"
	default:
		return input.FormatSize(n)
	}
}

func (v *sizeValue) Set(s string) error {
	n, err := input.ParseSize(s)
	if err != nil {
		return err
	}
	if n == 0 {
		n = input.NoLimit
	}
	*v.p = n
	return nil
}

func (v *sizeValue) Type() string { return "size" }

// notValue is a boolean flag that sets the opposite of what it says.
type notValue struct{ p *bool }

func (v *notValue) String() string { return "false" }
func (v *notValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	*v.p = !b
	return err
}
func (v *notValue) Type() string     { return "bool" }
func (v *notValue) IsBoolFlag() bool { return true }
