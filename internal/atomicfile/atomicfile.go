// Package atomicfile writes files that appear under their final name complete or not
// at all, and never replace a file that exists: listen's stored hooks, fake --out and
// redact --out share it. Its Replace mode does replace an existing file, for outputs
// the user named (-o FILE --force).
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// File is a file that appears under its final name complete or not at all: it
// is written to a temporary file in the same folder (a hidden name ending in .tmp),
// synced, and linked under the final name only if no file has that name, so an
// existing file is never replaced and a crash never leaves a partial file under the
// final name. The folder is synced after the link, so the name survives a crash too.
type File struct {
	f       *os.File
	w       *bufio.Writer // nil for one-shot writes (WriteNew), which need no buffer
	final   string
	done    bool
	replace bool // Replace mode: Commit renames over an existing file
}

// Create starts the file final, creating its folder if needed. It fails with an
// error wrapping fs.ErrExist when final exists already (it is checked again at Commit).
func Create(final string) (*File, error) {
	if _, err := os.Lstat(final); err == nil {
		return nil, existError(final)
	}
	a, err := Start(final)
	if err == nil {
		a.w = bufio.NewWriterSize(a.f, 64<<10)
	}
	return a, err
}

// Start is Create without the early check for an existing file, for CommitUnique.
func Start(final string) (*File, error) {
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(final)+".*.tmp")
	if err != nil {
		return nil, err
	}
	lock(f)
	return &File{f: f, final: final}, nil
}

// Replace starts a file that takes the name final when committed, replacing the file
// of that name if there is one (the rename is atomic: readers see the old file or the
// new one, never half of it). Unlike Create it makes no folder: final's must exist.
// Writes are not buffered; the caller buffers.
func Replace(final string) (*File, error) {
	if info, err := os.Lstat(final); err == nil && !info.Mode().IsRegular() && info.Mode()&fs.ModeSymlink == 0 {
		// Renaming over a device, FIFO, socket or folder would destroy it.
		return nil, &fs.PathError{Op: "replace", Path: final, Err: errors.New("not a regular file")}
	}
	f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+".*.tmp")
	if err != nil {
		return nil, err
	}
	lock(f)
	return &File{f: f, final: final, replace: true}, nil
}

func existError(name string) error {
	return &fs.PathError{Op: "write", Path: name, Err: fs.ErrExist}
}

// Name is the final name.
func (a *File) Name() string { return a.final }

// TempName is the temporary file's name, for a writer that opens the file itself (a
// database engine); Commit syncs and publishes what it wrote.
func (a *File) TempName() string { return a.f.Name() }

// Write writes to the temporary file.
func (a *File) Write(p []byte) (int, error) {
	if a.w == nil {
		return a.f.Write(p)
	}
	return a.w.Write(p)
}

// Commit syncs the file and gives it its final name; the temporary file is gone
// afterwards, whatever the outcome.
func (a *File) Commit() error {
	_, err := a.commit(1)
	return err
}

// CommitUnique is Commit that, when the final name is taken, tries the name with a
// counter before its extension (x-1.json, x-2.json, ...) and returns the name used.
func (a *File) CommitUnique() (string, error) {
	return a.commit(1000)
}

func (a *File) commit(tries int) (string, error) {
	if a.done {
		return "", errors.New("atomic file: committed twice")
	}
	a.done = true
	tmp := a.f.Name()
	defer os.Remove(tmp)
	var err error
	if a.w != nil {
		err = a.w.Flush()
	}
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err != nil {
		return "", fmt.Errorf("write %s: %w", a.final, err)
	}
	if a.replace {
		if err := os.Rename(tmp, a.final); err != nil {
			return "", fmt.Errorf("write %s: %w", a.final, err)
		}
		return a.final, syncDir(filepath.Dir(a.final))
	}
	ext := filepath.Ext(a.final)
	stem := strings.TrimSuffix(a.final, ext)
	name := a.final
	for n := 1; ; n++ {
		err = publish(tmp, name)
		if err == nil || !errors.Is(err, fs.ErrExist) || n >= tries {
			break
		}
		name = stem + "-" + strconv.Itoa(n) + ext
	}
	if err != nil {
		return "", err
	}
	return name, syncDir(filepath.Dir(name))
}

// Abort removes the temporary file; after Commit it does nothing.
func (a *File) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.f.Close()
	os.Remove(a.f.Name())
}

// publish gives tmp the name final unless final exists. A hard link is atomic and
// refuses an existing name; on file systems without hard links it falls back to a
// check and a rename.
func publish(tmp, final string) error {
	err := os.Link(tmp, final)
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return existError(final)
	}
	var le *os.LinkError
	if !errors.As(err, &le) || !linkUnsupported(le.Err) {
		return fmt.Errorf("write %s: %w", final, err)
	}
	if _, err := os.Lstat(final); err == nil {
		return existError(final)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("write %s: %w", final, err)
	}
	return nil
}

func linkUnsupported(err error) bool {
	return errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOTSUP) ||
		errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EMLINK)
}

// syncDir makes a folder's new entries durable.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // folders cannot be opened for syncing there; NTFS journals names
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, syscall.EINVAL) { // some file systems cannot sync folders
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// WriteNew writes data to the new file name atomically (see File); it fails
// with an error wrapping fs.ErrExist when name exists.
func WriteNew(name string, data []byte) error {
	if _, err := os.Lstat(name); err == nil {
		return existError(name)
	}
	a, err := Start(name)
	if err != nil {
		return err
	}
	if _, err := a.Write(data); err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", name, err)
	}
	return a.Commit()
}
