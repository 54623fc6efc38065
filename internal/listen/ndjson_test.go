package listen

import (
	"bytes"
	"encoding/json"
	"github.com/smarthook/smarthook/internal/hookmeta"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// fullDisk is a file that takes only room more bytes, the last write cut short,
// and then fails with ENOSPC, until more room is given.
type fullDisk struct {
	*os.File
	mu   sync.Mutex
	room int
}

func (d *fullDisk) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(p) <= d.room {
		d.room -= len(p)
		return d.File.Write(p)
	}
	n, _ := d.File.Write(p[:d.room])
	d.room = 0
	return n, &os.PathError{Op: "write", Path: d.Name(), Err: syscall.ENOSPC}
}

func (d *fullDisk) give(n int) {
	d.mu.Lock()
	d.room += n
	d.mu.Unlock()
}

// TestNDJSONDiskFull: a write that fails halfway is rolled back and answered 507;
// once there is room again, the next hook appends a clean line, and the meta file
// stays aligned line for line.
func TestNDJSONDiskFull(t *testing.T) {
	for _, which := range []string{"body", "meta"} {
		t.Run(which, func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "hooks.ndjson")
			s := start(t, Options{NDJSON: name})
			bodies := fakeBodies(3)
			// Indented: their meta lines keep their bytes, and are rolled back the same.
			bodies[1], bodies[2] = indented(t, bodies[1]), indented(t, bodies[2])
			if code, _ := post(t, s.url, bodies[0]); code != http.StatusNoContent {
				t.Fatalf("first hook: %d", code)
			}
			disk := &fullDisk{room: 10}
			s.log.mu.Lock()
			if which == "body" {
				disk.File, s.log.body = s.log.body.(*os.File), disk
			} else {
				disk.File, s.log.meta = s.log.meta.(*os.File), disk
			}
			s.log.mu.Unlock()
			if code, _ := post(t, s.url, bodies[1]); code != http.StatusInsufficientStorage {
				t.Fatalf("a hook on a full disk: %d, want 507", code)
			}
			disk.give(1 << 20)
			if code, _ := post(t, s.url, bodies[2]); code != http.StatusNoContent {
				t.Fatalf("a hook after room came back: %d", code)
			}
			checkNDJSON(t, name, name+MetaSuffix, [][]byte{bodies[0], bodies[2]})
		})
	}
}

// checkNDJSON checks that name holds exactly bodies, one a line, and that its meta
// file describes them line for line.
func checkNDJSON(t *testing.T, name, meta string, bodies [][]byte) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	for _, b := range bodies {
		want = append(append(want, hookmeta.NDJSONLine(b)...), '\n')
	}
	if !bytes.Equal(data, want) {
		t.Errorf("%s holds %d bytes, want exactly the %d accepted lines:\n%.300s", name, len(data), len(bodies), data)
	}
	mdata, err := os.ReadFile(meta)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(mdata), "\n"), "\n")
	if len(lines) != len(bodies) {
		t.Fatalf("%d meta lines for %d hooks", len(lines), len(bodies))
	}
	for i, l := range lines {
		var m Meta
		if err := json.Unmarshal([]byte(l), &m); err != nil || !m.Matches(bodies[i]) || m.Method != "POST" || m.ReceivedAt == "" {
			t.Errorf("meta line %d does not describe hook %d: %s (%v)", i+1, i+1, l, err)
		} else if got, ok := m.Received(hookmeta.NDJSONLine(bodies[i])); !ok || !bytes.Equal(got, bodies[i]) {
			t.Errorf("meta line %d does not give back hook %d as received: %s", i+1, i+1, l)
		}
	}
}

// TestNDJSONTmpfsFull fills a real small file system (tmpfs, needs root) and checks
// the same: 507, no half line, clean appends once room is made.
func TestNDJSONTmpfsFull(t *testing.T) {
	dir := t.TempDir()
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).Run(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() }) // after the server's cleanup
	name := filepath.Join(dir, "hooks.ndjson")
	filler := filepath.Join(dir, "filler")
	s := start(t, Options{NDJSON: name})
	bodies := fakeBodies(40)
	var accepted [][]byte
	full := false
	for _, b := range bodies {
		code, _ := post(t, s.url, b)
		switch code {
		case http.StatusNoContent:
			accepted = append(accepted, b)
		case http.StatusInsufficientStorage:
			full = true
		default:
			t.Fatalf("status %d", code)
		}
		if full {
			break
		}
	}
	if !full {
		// Fill the rest so the next hook fails.
		os.WriteFile(filler, bytes.Repeat([]byte("x"), 64<<10), 0o644)
		if code, _ := post(t, s.url, bodies[len(bodies)-1]); code != http.StatusInsufficientStorage {
			t.Fatalf("on a full tmpfs: %d", code)
		}
	}
	checkNDJSON(t, name, name+MetaSuffix, accepted)
	os.Remove(filler)
	s.log.body.Truncate(0) // make room as a user would, by moving the captured lines away
	s.log.meta.Truncate(0)
	s.log.bodyEnd, s.log.metaEnd = 0, 0
	if code, _ := post(t, s.url, bodies[0]); code != http.StatusNoContent {
		t.Fatalf("after room came back: %d", code)
	}
	checkNDJSON(t, name, name+MetaSuffix, bodies[:1])
}

// TestNDJSONMetaAligned: an NDJSON file from before metadata (or a crash between
// the two writes) gets {} lines in its meta file, so line N still matches line N.
func TestNDJSONMetaAligned(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "hooks.ndjson")
	os.WriteFile(name, []byte("{\"a\":1}\n{\"a\":2}\n{\"a\":"), 0o644)
	errw := &syncBuffer{}
	s := start(t, Options{NDJSON: name, Meta: filepath.Join(dir, "m.ndjson"), Err: errw})
	body := fakeBodies(1)[0]
	if code, _ := post(t, s.url, body); code != http.StatusNoContent {
		t.Fatal(code)
	}
	meta, _ := os.ReadFile(filepath.Join(dir, "m.ndjson"))
	lines := strings.Split(strings.TrimSuffix(string(meta), "\n"), "\n")
	if len(lines) != 4 || lines[0] != "{}" || lines[2] != "{}" || !strings.Contains(lines[3], `"body_sha256"`) {
		t.Errorf("meta lines: %q", lines)
	}
	if !strings.Contains(errw.String(), "describes 0 of 3 lines") || !strings.Contains(errw.String(), "middle of a line") {
		t.Errorf("warnings: %s", errw.String())
	}
}
