//go:build unix

package input

import (
	"errors"
	"io/fs"
	"syscall"
)

// appendFile appends the content of the regular file at path to buf with as few system
// calls as the kernel allows (open, read, close; no stat): reading thousands of small
// files is bound by them, not by copying bytes. A read that leaves room in the buffer
// has hit the end of a regular file; POSIX promises that for regular files. A file
// longer than limit bytes is not appended: it reports errTooLong.
func appendFile(buf []byte, dirs *folderFD, path string, limit int) ([]byte, error) {
	fd, err := dirs.open(path)
	if err != nil {
		return buf, errnoError(err)
	}
	defer syscall.Close(fd)
	start := len(buf)
	for {
		if cap(buf)-len(buf) < 64<<10 {
			buf = grow(buf, 256<<10)
		}
		room := buf[len(buf):min(cap(buf), start+limit+1)]
		n, err := syscall.Read(fd, room)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return buf[:start], errnoError(err)
		}
		buf = buf[:len(buf)+n]
		if len(buf)-start > limit {
			return buf[:start], errTooLong
		}
		if n < len(room) {
			return buf, nil
		}
	}
}

// errnoError maps an errno to the fs errors the rest of the package tests for.
func errnoError(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.ENOENT:
			return fs.ErrNotExist
		case syscall.EACCES, syscall.EPERM:
			return fs.ErrPermission
		case syscall.EISDIR:
			return errors.New("is a directory")
		}
	}
	return err
}
