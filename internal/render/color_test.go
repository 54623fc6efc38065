package render

import (
	"strings"
	"testing"
)

func TestParseColors(t *testing.T) {
	tests := []struct {
		spec    string
		want    Colors
		wantErr string
	}{
		{"", DefaultColors, ""},
		{"0;90:0;39:0;39:0;39:0;32:1;39:1;39:34;1", DefaultColors, ""},
		{"1;31", func() Colors { c := DefaultColors; c.Null = "1;31"; return c }(), ""},
		{"1:2:3:4:5:6:7:8", Colors{"1", "2", "3", "4", "5", "6", "7", "8"}, ""},
		{"::::::", func() Colors {
			c := DefaultColors
			c.Null, c.False, c.True, c.Number, c.String, c.Array, c.Object = "", "", "", "", "", "", ""
			return c
		}(), ""},
		{"1:2:3:4:5:6:7:8:9", DefaultColors, "at most 8"},
		{"red", DefaultColors, "not an SGR code"},
		{"0;32:1;3x", DefaultColors, "colour 2"},
		{"\x1b[31m", DefaultColors, "not an SGR code"},
		{"11111111111111111", DefaultColors, "longer than 16"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseColors(tt.spec)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestColorsSpecRoundTrip(t *testing.T) {
	if got := DefaultColors.Spec(); got != "0;90:0;39:0;39:0;39:0;32:1;39:1;39:34;1" {
		t.Errorf("DefaultColors.Spec() = %q, want jq 1.7's defaults", got)
	}
	c, err := ParseColors(fixedColors.Spec())
	if err != nil || c != fixedColors {
		t.Errorf("ParseColors(Spec()) = %+v, %v", c, err)
	}
}
