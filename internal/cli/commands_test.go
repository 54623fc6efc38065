package cli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/smarthook/smarthook/internal/iostreams"
	"github.com/smarthook/smarthook/internal/testutil"
	"github.com/spf13/cobra"
)

// parse runs cmd with args through the root's flag handling and returns the error.
func parse(t *testing.T, cmd *cobra.Command, args ...string) error {
	t.Helper()
	root := &cobra.Command{Use: "smarthook", SilenceErrors: true, SilenceUsage: true}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &exitError{Code: ExitUsage, Err: enumError(err)} })
	root.AddCommand(cmd)
	root.SetArgs(append([]string{cmd.Name()}, args...))
	streams, _, _, errOut := iostreams.Test()
	root.SetOut(streams.Out)
	root.SetErr(errOut)
	return root.Execute()
}

// TestFlagsToOptions checks that each command's flags land in the right options.
func TestFlagsToOptions(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	t.Run("validate", func(t *testing.T) {
		var got *ValidateOptions
		cmd := NewCmdValidate(streams, func(o *ValidateOptions) error { got = o; return nil })
		if err := parse(t, cmd, "--format", "JSON", "--strict", "-q", "--color", "never", "a.json", "-"); err != nil {
			t.Fatal(err)
		}
		want := ValidateOptions{IO: streams, Paths: []string{"a.json", "-"}, Format: "json", Strict: true, Quiet: true, Color: "never"}
		if got.Format != want.Format || got.Strict != want.Strict || got.Quiet != want.Quiet || got.Color != want.Color || !reflect.DeepEqual(got.Paths, want.Paths) {
			t.Errorf("got %+v, want %+v", *got, want)
		}
	})
	t.Run("convert", func(t *testing.T) {
		var got *ConvertOptions
		cmd := NewCmdConvert(streams, func(o *ConvertOptions) error { got = o; return nil })
		err := parse(t, cmd, "--to", "tsv", "--rows", "messages", "--columns", "accountId,index", "--time", "unix",
			"--tz", "Europe/Prague", "--no-header", "--bom", "--excel-safe", "-o", "out.tsv", "--force", "x.ndjson")
		if err != nil {
			t.Fatal(err)
		}
		if got.To != "tsv" || got.Rows != "messages" || !reflect.DeepEqual(got.Columns, []string{"accountId", "index"}) ||
			got.Time != "unix" || got.TZ != "Europe/Prague" || !got.NoHeader || !got.BOM || !got.ExcelSafe ||
			got.Output != "out.tsv" || !got.Force || !reflect.DeepEqual(got.Paths, []string{"x.ndjson"}) {
			t.Errorf("got %+v", *got)
		}
	})
	t.Run("convert defaults", func(t *testing.T) {
		var got *ConvertOptions
		cmd := NewCmdConvert(streams, func(o *ConvertOptions) error { got = o; return nil })
		if err := parse(t, cmd); err != nil {
			t.Fatal(err)
		}
		if got.To != "csv" || got.Rows != "chats" || got.Time != "rfc3339" || got.TZ != "UTC" || got.Delimiter != "," {
			t.Errorf("defaults %+v", *got)
		}
	})
	t.Run("pretty", func(t *testing.T) {
		var got *PrettyOptions
		cmd := NewCmdPretty(streams, func(o *PrettyOptions) error { got = o; return nil })
		if err := parse(t, cmd, "--summary", "--tz", "UTC", "--color", "always", "--paging", "never", "--no-headers", "d/"); err != nil {
			t.Fatal(err)
		}
		if !got.Summary || got.TZ != "UTC" || got.Color != "always" || got.Paging != "never" || !got.NoHeaders || got.Indent != 2 {
			t.Errorf("got %+v", *got)
		}
	})
	t.Run("redact", func(t *testing.T) {
		var got *RedactOptions
		cmd := NewCmdRedact(streams, func(o *RedactOptions) error { got = o; return nil })
		if err := parse(t, cmd, "--fields", "default,paths", "--key-env", "K", "--out", "clean", "a.json"); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Fields, []string{"default", "paths"}) || got.KeyEnv != "K" || got.OutDir != "clean" || got.RandomKey {
			t.Errorf("got %+v", *got)
		}
	})
	t.Run("fake", func(t *testing.T) {
		var got *FakeOptions
		cmd := NewCmdFake(streams, func(o *FakeOptions) error { got = o; return nil })
		if err := parse(t, cmd, "-n", "7", "--seed", "3", "--kind", "Stats", "--out", "d", "--pretty"); err != nil {
			t.Fatal(err)
		}
		if got.Count != 7 || got.Seed != 3 || got.Kind != "stats" || got.OutDir != "d" || !got.Pretty {
			t.Errorf("got %+v", *got)
		}
	})
}

// TestEnumValuesRefused checks that every fixed-value flag refuses other values as a
// usage error worded the same way, before the command runs.
func TestEnumValuesRefused(t *testing.T) {
	streams, _, _, _ := iostreams.Test()
	ran := errors.New("the command ran")
	for _, tt := range []struct {
		cmd  *cobra.Command
		args []string
		want string
	}{
		{NewCmdValidate(streams, func(*ValidateOptions) error { return ran }), []string{"--format", "xml"}, `unknown --format "xml": use text, json or github`},
		{NewCmdValidate(streams, func(*ValidateOptions) error { return ran }), []string{"--color", "sometimes"}, `unknown --color "sometimes": use auto, always or never`},
		{NewCmdConvert(streams, func(*ConvertOptions) error { return ran }), []string{"--to", "xlsx"}, `unknown --to "xlsx": use csv, tsv, ndjson, parquet or sqlite`},
		{NewCmdConvert(streams, func(*ConvertOptions) error { return ran }), []string{"--time", "iso"}, `unknown --time "iso": use rfc3339, ms or unix`},
		{NewCmdPretty(streams, func(*PrettyOptions) error { return ran }), []string{"--paging", "always"}, `unknown --paging "always": use auto or never`},
		{NewCmdFake(streams, func(*FakeOptions) error { return ran }), []string{"--kind", "chat"}, `unknown --kind "chat": use hook, webhook or stats`},
	} {
		err := parse(t, tt.cmd, tt.args...)
		var ee *exitError
		if !errors.As(err, &ee) || ee.Code != ExitUsage || err.Error() != tt.want {
			t.Errorf("%s %v: got %v, want usage error %q", tt.cmd.Name(), tt.args, err, tt.want)
		}
	}
}

// failingWriter fails every write as a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestExitCodesByKind checks that only what the user asked wrongly is a usage error
// (2) and that a failed write is 1, in every command.
func TestExitCodesByKind(t *testing.T) {
	doc := `{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":5},"messages":[]}` + "\n"
	for _, tt := range []struct {
		args []string
		full bool // stdout fails
		code int
		msg  string
	}{
		{[]string{"validate", "--list-rules", "--format", "github"}, false, ExitUsage, `--list-rules prints text or json, not "github"`},
		{[]string{"validate", "--list-rules", "--format", "xml"}, false, ExitUsage, `unknown --format "xml"`},
		{[]string{"validate", "--bogus"}, false, ExitUsage, "unknown flag: --bogus"},
		{[]string{"bogus"}, false, ExitUsage, `unknown command "bogus"`},
		{[]string{"fake", "extra"}, false, ExitUsage, `unknown command "extra"`},
		{[]string{"pretty", "--transcript", "--summary"}, false, ExitUsage, "none of the others can be"},
		{[]string{"convert", "-"}, true, ExitProblems, "no space left on device"},
		{[]string{"pretty", "-c", "-"}, true, ExitProblems, "no space left on device"},
		{[]string{"redact", "--random-key", "-"}, true, ExitProblems, "no space left on device"},
		{[]string{"fake", "-n", "3"}, true, ExitProblems, "no space left on device"},
		{[]string{"validate", "--list-rules"}, true, ExitProblems, "no space left on device"},
		{[]string{"convert", "--list-columns"}, true, ExitProblems, "no space left on device"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			streams, in, _, errOut := iostreams.Test()
			in.WriteString(doc)
			if tt.full {
				streams.Out = failingWriter{}
			}
			root := NewRootCmd(streams)
			root.SetArgs(tt.args)
			code := exitCode(root.ExecuteContext(context.Background()), context.Background(), errOut)
			if code != tt.code || !strings.Contains(errOut.String(), tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut.String(), tt.code, tt.msg)
			}
		})
	}
}

// TestWriteToFullDisk runs the binary with stdout on /dev/full: exit 1 and a message
// naming the failure, in every command that writes to stdout.
func TestWriteToFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full here")
	}
	defer full.Close()
	bin := testutil.BuildSmarthook(t)
	doc := `{"accountId":1,"beginAt":1,"endAt":2,"channel":{"id":5},"messages":[]}` + "\n"
	for _, args := range [][]string{{"convert", "-"}, {"pretty", "-c", "-"}, {"fake", "-n", "5"}, {"validate", "--strict", "-"}} {
		cmd := exec.Command(bin, args...)
		// Twice the same chat: validate has a finding (duplicate-chat) to write.
		cmd.Stdin = strings.NewReader(doc + doc)
		cmd.Stdout = full
		var errb strings.Builder
		cmd.Stderr = &errb
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != ExitProblems || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("%v: %v, stderr %q; want exit 1 naming the full disk", args, err, errb.String())
		}
	}
}
