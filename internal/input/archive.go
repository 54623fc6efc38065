package input

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"os"
)

// tar walks a tar (or tar.gz) archive member by member, without unpacking it to disk.
// Members that are not JSON, NDJSON or their .gz are passed over.
func (r *reader) tar(path string, f io.Reader, gz bool) bool {
	archive := Origin{Path: path, Line: 1, Col: 1}
	if gz {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return r.failAt(archive, err)
		}
		defer zr.Close()
		f = zr
	}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return r.failAt(archive, fmt.Errorf("broken archive: %w", err))
		}
		if h.Typeflag != tar.TypeReg || !wanted(h.Name) {
			continue
		}
		o := Origin{Path: path, Member: h.Name, Line: 1, Col: 1}
		if !r.member(o, tr, h.Name) {
			return false
		}
	}
}

// zip reads the members of a zip archive in the order the archive lists them.
func (r *reader) zip(path string, f *os.File) bool {
	archive := Origin{Path: path, Line: 1, Col: 1}
	info, err := f.Stat()
	if err != nil {
		return r.failAt(archive, err)
	}
	zr, err := zip.NewReader(f, info.Size())
	if err != nil {
		return r.failAt(archive, fmt.Errorf("broken archive: %w", err))
	}
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() || !wanted(zf.Name) {
			continue
		}
		o := Origin{Path: path, Member: zf.Name, Line: 1, Col: 1}
		rc, err := zf.Open()
		if err != nil {
			if !r.failAt(o, err) {
				return false
			}
			continue
		}
		ok := r.member(o, rc, zf.Name)
		rc.Close()
		if !ok {
			return false
		}
	}
	return true
}
