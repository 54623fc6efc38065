package iostreams

import (
	"io"
	"testing"
)

func TestTest(t *testing.T) {
	streams, in, out, errOut := Test("A=1", "B=x=y")
	in.WriteString("doc")
	got, _ := io.ReadAll(streams.In)
	streams.Out.Write([]byte("o"))
	streams.Err.Write([]byte("e"))
	if string(got) != "doc" || out.String() != "o" || errOut.String() != "e" {
		t.Errorf("streams are not the buffers: in %q, out %q, err %q", got, out, errOut)
	}
	if streams.InTTY || streams.OutTTY || streams.ErrTTY {
		t.Errorf("a test stream claims a terminal: %+v", streams)
	}
	if streams.Getenv("A") != "1" || streams.Getenv("B") != "x=y" || streams.Getenv("HOME") != "" {
		t.Errorf("environment: A=%q B=%q HOME=%q", streams.Getenv("A"), streams.Getenv("B"), streams.Getenv("HOME"))
	}
}
