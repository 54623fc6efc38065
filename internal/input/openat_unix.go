//go:build unix && !linux

package input

import "syscall"

// folderFD is, on Linux, the folder of the last file read, kept open.
type folderFD struct{}

// open opens the file at path for reading.
func (*folderFD) open(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

func (*folderFD) close() {}
