//go:build !unix

package input

import (
	"io"
	"os"
)

// appendFile appends the content of the file at path to buf; a file longer than limit
// bytes is not appended: it reports errTooLong.
func appendFile(buf []byte, _ *folderFD, path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, unwrapPathError(err)
	}
	defer f.Close()
	start := len(buf)
	for {
		if cap(buf)-len(buf) < 64<<10 {
			buf = grow(buf, 256<<10)
		}
		n, err := f.Read(buf[len(buf):min(cap(buf), start+limit+1)])
		buf = buf[:len(buf)+n]
		if len(buf)-start > limit {
			return buf[:start], errTooLong
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf[:start], unwrapPathError(err)
		}
	}
}

// folderFD is, on Linux, the folder of the last file read, kept open.
type folderFD struct{}

func (*folderFD) close() {}
