package input

import (
	"path/filepath"
	"syscall"
)

// folderFD keeps the folder of the last file opened open, so that the next file of
// the same folder (a batch of a folder walk holds a folder's files in a row) is opened
// relative to it: the kernel then looks up one name instead of every folder of the
// path again.
type folderFD struct {
	dir string
	fd  int
	ok  bool
}

// open opens the file at path for reading.
func (f *folderFD) open(path string) (int, error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		return openAt(atFDCWD, path, syscall.O_RDONLY)
	}
	if !f.ok || dir != f.dir {
		f.close()
		fd, err := openAt(atFDCWD, dir, syscall.O_RDONLY|syscall.O_DIRECTORY)
		if err != nil {
			return openAt(atFDCWD, path, syscall.O_RDONLY) // the file says why
		}
		f.dir, f.fd, f.ok = dir, fd, true
	}
	return openAt(f.fd, name, syscall.O_RDONLY)
}

// close closes the folder kept open, if any.
func (f *folderFD) close() {
	if f.ok {
		syscall.Close(f.fd)
		f.ok = false
	}
}

// atFDCWD is AT_FDCWD: a path relative to the working directory.
const atFDCWD = -0x64

func openAt(dirfd int, path string, mode int) (int, error) {
	for {
		fd, err := syscall.Openat(dirfd, path, mode|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
