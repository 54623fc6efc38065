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
// Members that are not JSON, NDJSON, their .gz or archives are passed over; depth is
// how deep the archive lies in others (1 for a file named by the user).
func (r *reader) tar(archive Origin, f io.Reader, gz bool, depth int) bool {
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
		if h.Typeflag != tar.TypeReg || !wantedMember(h.Name) {
			continue
		}
		if !r.archiveMember(archive, h.Name, tr, h.Size, depth) {
			return false
		}
	}
}

// wantedMember reports an archive member to read: JSON, NDJSON, their .gz, or an archive.
func wantedMember(name string) bool {
	f, _ := formatOf(name)
	return wanted(name) || f == formatTar || f == formatTarGz || f == formatZip
}

// archiveMember reads one member of an archive at depth.
func (r *reader) archiveMember(archive Origin, name string, src io.Reader, size int64, depth int) bool {
	o := archive
	if o.Member != "" {
		o.Member += ":" + name // an archive inside an archive
	} else {
		o.Member = name
	}
	o.Line, o.Col, o.Offset = 1, 1, 0
	if r.sel != nil && !r.sel.wants(o) {
		return true
	}
	return r.member(o, src, name, streamPacked, size, depth)
}

// nested reads an archive found inside another one, up to the depth allowed.
func (r *reader) nested(o Origin, src io.Reader, f format, depth int) bool {
	if depth >= r.opts.MaxArchiveDepth {
		return r.failAt(o, fmt.Errorf("an archive inside an archive deeper than %d levels: skipped", r.opts.MaxArchiveDepth))
	}
	if f != formatZip {
		return r.tar(o, src, f == formatTarGz, depth+1)
	}
	// A zip is read from its end: keep it in a temporary file, not in memory.
	tmp, err := os.CreateTemp("", "smarthook-zip-*")
	if err != nil {
		return r.failAt(o, err)
	}
	defer tmp.Close()
	os.Remove(tmp.Name())
	limit := r.opts.MaxMemberSize
	if limit <= 0 {
		limit = 1 << 62
	}
	n, err := io.Copy(tmp, io.LimitReader(src, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("more than %s once decompressed (--max-member-size): not read", FormatSize(limit))
	}
	if err != nil {
		return r.failAt(o, err)
	}
	return r.zip(o, tmp, n, depth+1)
}

// zipFile reads a zip archive named by the user.
func (r *reader) zipFile(archive Origin, f *os.File) bool {
	info, err := f.Stat()
	if err != nil {
		return r.failAt(archive, err)
	}
	return r.zip(archive, f, info.Size(), 1)
}

// zip reads the members of a zip archive in the order the archive lists them.
func (r *reader) zip(archive Origin, f io.ReaderAt, size int64, depth int) bool {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return r.failAt(archive, fmt.Errorf("broken archive: %w", err))
	}
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() || !wantedMember(zf.Name) {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			o := archive
			o.Member = zf.Name
			if !r.failAt(o, err) {
				return false
			}
			continue
		}
		ok := r.archiveMember(archive, zf.Name, rc, int64(zf.UncompressedSize64), depth)
		rc.Close()
		if !ok {
			return false
		}
	}
	return true
}
