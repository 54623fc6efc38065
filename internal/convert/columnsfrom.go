package convert

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"

	"github.com/smarthook/smarthook/internal/jsontext"
)

// maxHeaderLine bounds the first line ColumnsFrom reads.
const maxHeaderLine = 1 << 20

// ColumnsFrom reads the column names of --columns-from: the first line of file, a
// header line or a CSV (or TSV) written before, its fields separated by delim (a tab
// when the line has tabs and no delim).
func ColumnsFrom(file string, delim byte) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("--columns-from: %w", err)
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(io.LimitReader(f, maxHeaderLine), 64<<10).ReadBytes('\n')
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("--columns-from %s: %w", file, err)
	}
	if err == io.EOF && len(line) == maxHeaderLine {
		return nil, fmt.Errorf("--columns-from %s: the first line is longer than %d bytes", file, maxHeaderLine)
	}
	line = bytes.TrimPrefix(line, jsontext.BOM)
	line = bytes.TrimRight(line, "\r\n")
	if len(bytes.TrimSpace(line)) == 0 {
		return nil, fmt.Errorf("--columns-from %s: the first line names no columns", file)
	}
	if delim == 0 {
		delim = ','
	}
	if bytes.IndexByte(line, '\t') >= 0 && bytes.IndexByte(line, delim) < 0 {
		delim = '\t'
	}
	r := csv.NewReader(bytes.NewReader(line))
	r.Comma = rune(delim)
	r.LazyQuotes = true
	names, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("--columns-from %s: line 1: %w", file, err)
	}
	return names, nil
}
