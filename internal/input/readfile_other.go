//go:build !unix

package input

import (
	"io"
	"os"
)

// appendFile appends the content of the file at path to buf.
func appendFile(buf []byte, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, unwrapPathError(err)
	}
	defer f.Close()
	for {
		if cap(buf)-len(buf) < 64<<10 {
			buf = grow(buf, 256<<10)
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, unwrapPathError(err)
		}
	}
}
