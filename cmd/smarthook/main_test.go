package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/smarthook/smarthook/internal/cli"
	"github.com/smarthook/smarthook/internal/testutil"
)

// TestMain lets the test binary act as the smarthook command when a script runs it,
// so the end-to-end scripts exercise exactly what main does.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"smarthook": func() { os.Exit(cli.Main(os.Args[1:], cli.SystemIO())) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script/ at the repository root.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("..", "..", "testdata", "script"),
		UpdateScripts:       testutil.Update(), // -update rewrites the golden files inside the scripts
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			// Scripts compare exact bytes: no colour, whatever the developer's terminal.
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"archive": cmdArchive,
			"status":  cmdStatus,
		},
	})
}

// cmdStatus runs a program as exec does and checks its exact exit status, which the
// README documents (0 ok, 1 problems in the input, 2 usage or unreadable path) and
// which `! exec` cannot tell apart:
//
//	status CODE PROGRAM [ARGS...]
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! status (give the expected code instead)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: status CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: bad exit code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdArchive builds an archive in the script's work directory, because testscript has no
// command for it and binary files do not belong in a txtar:
//
//	archive OUT FILE...
//
// OUT's name picks the format: .gz (exactly one FILE, gzip-compressed), .tar,
// .tar.gz or .tgz, .zip. Each FILE is stored under the name given, in the order given.
func cmdArchive(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! archive")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: archive OUT FILE...")
	}
	out, names := args[0], args[1:]
	contents := make([][]byte, len(names))
	for i, name := range names {
		contents[i] = []byte(ts.ReadFile(name))
	}
	var buf bytes.Buffer
	var err error
	switch lower := strings.ToLower(out); {
	case strings.HasSuffix(lower, ".tar.gz"), strings.HasSuffix(lower, ".tgz"):
		err = writeTarGz(&buf, names, contents)
	case strings.HasSuffix(lower, ".tar"):
		err = writeTar(&buf, names, contents)
	case strings.HasSuffix(lower, ".zip"):
		err = writeZip(&buf, names, contents)
	case strings.HasSuffix(lower, ".gz"):
		if len(names) != 1 {
			ts.Fatalf("archive %s: a .gz holds exactly one file", out)
		}
		err = writeGzip(&buf, contents[0])
	default:
		ts.Fatalf("archive %s: unknown archive type (use .gz, .tar, .tar.gz, .tgz or .zip)", out)
	}
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(out), buf.Bytes(), 0o644))
}

func writeGzip(buf *bytes.Buffer, data []byte) error {
	zw := gzip.NewWriter(buf)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Close()
}

func writeTar(buf *bytes.Buffer, names []string, contents [][]byte) error {
	tw := tar.NewWriter(buf)
	for i, name := range names {
		h := &tar.Header{Name: filepath.ToSlash(name), Mode: 0o644, Size: int64(len(contents[i])), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(contents[i]); err != nil {
			return err
		}
	}
	return tw.Close()
}

func writeTarGz(buf *bytes.Buffer, names []string, contents [][]byte) error {
	var tarBuf bytes.Buffer
	if err := writeTar(&tarBuf, names, contents); err != nil {
		return err
	}
	return writeGzip(buf, tarBuf.Bytes())
}

func writeZip(buf *bytes.Buffer, names []string, contents [][]byte) error {
	zw := zip.NewWriter(buf)
	for i, name := range names {
		w, err := zw.Create(filepath.ToSlash(name))
		if err != nil {
			return err
		}
		if _, err := w.Write(contents[i]); err != nil {
			return err
		}
	}
	return zw.Close()
}
