package jsontext

import "testing"

func TestTrimBOM(t *testing.T) {
	for in, want := range map[string]string{"\uFEFF{}": "{}", "{}": "{}", "": "", "\uFEFF": "", "{}\uFEFF": "{}\uFEFF"} {
		if got := string(TrimBOM([]byte(in))); got != want {
			t.Errorf("TrimBOM(%q) = %q, want %q", in, got, want)
		}
	}
}
