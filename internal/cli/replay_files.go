package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/smarthook/smarthook/internal/replay"
)

// replayFiles are the files a run writes, closed at its end.
type replayFiles struct {
	journal   *os.File
	failedOut *output
}

// openFiles opens the journal (reading it first with --resume) and --failed-out, after
// making sure neither is written onto an input.
func (o *ReplayOptions) openFiles(ro *replay.Options) (*replayFiles, error) {
	inputs := replay.CanonicalInputs(o.Paths)
	if err := o.checkOutputs(inputs); err != nil {
		return nil, err
	}
	files := &replayFiles{}
	if o.Journal != "" {
		j, delivered, err := o.openJournal(inputs)
		if err != nil {
			return nil, err
		}
		files.journal, ro.Delivered = j, delivered
		if j != nil {
			ro.Journal = j
		}
	}
	if o.FailedOut != "" && !o.DryRun {
		if _, err := os.Stat(o.FailedOut); err == nil && !o.Force {
			files.close()
			return nil, usageErrorf("--failed-out %s exists: use --force to replace it", o.FailedOut)
		}
		out, err := openOutput(o.FailedOut, true, nil, o.IO.Out)
		if err != nil {
			files.close()
			return nil, err
		}
		files.failedOut, ro.FailedOut = out, out.w
	}
	if o.DryRun {
		ro.DryRun = o.IO.Out
	}
	return files, nil
}

// checkOutputs refuses a --journal or --failed-out that is an input (by name, through
// a link, a glob or a folder) or that is the other one.
func (o *ReplayOptions) checkOutputs(inputs []string) error {
	for _, f := range []struct{ flag, name string }{{"--journal", o.Journal}, {"--failed-out", o.FailedOut}} {
		if f.name == "" {
			continue
		}
		if err := replay.CheckOutput(f.flag, f.name, inputs); err != nil {
			return &exitError{Code: ExitUsage, Err: err}
		}
		if info, err := os.Stat(f.name); err == nil && readsFile(o.Paths, info) {
			return usageErrorf("%s %s is also an input: refusing to write onto it", f.flag, f.name)
		}
	}
	if o.Journal != "" && o.FailedOut != "" &&
		replay.CanonicalPath(o.Journal) == replay.CanonicalPath(o.FailedOut) {
		return usageErrorf("--journal and --failed-out name the same file %s", o.Journal)
	}
	return nil
}

// close makes --failed-out final (even after an interruption: it lists what failed so
// far) and closes the journal.
func (f *replayFiles) close() error {
	var errs []error
	if f.failedOut != nil {
		errs = append(errs, f.failedOut.finish(true))
	}
	if f.journal != nil {
		errs = append(errs, f.journal.Close())
	}
	return errors.Join(errs...)
}

// openJournal opens the journal for appending. Without --resume an existing journal is
// refused, so that one run's record is never mixed into another's by accident; a new
// journal starts with a header naming the target and the inputs. With --resume it is
// read first for the documents already delivered, and refused when its header names
// another target or other inputs (unless --force). A dry run only reads.
func (o *ReplayOptions) openJournal(inputs []string) (*os.File, replay.Delivered, error) {
	name := o.Journal
	header := replay.NewJournalHeader(o.Method, o.URL, inputs, time.Now())
	if !o.Resume {
		if info, err := os.Stat(name); err == nil && info.Size() > 0 {
			return nil, nil, usageErrorf("journal %s exists: add --resume to continue that run, or remove it", name)
		}
		if o.DryRun {
			return nil, nil, nil
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err == nil {
			_, err = f.Write(header.Line())
		}
		if err != nil {
			return nil, nil, usageErrorf("create journal: %v", err)
		}
		return f, nil, nil
	}
	flags := os.O_RDWR | os.O_CREATE | os.O_APPEND
	if o.DryRun {
		flags = os.O_RDONLY
	}
	f, err := os.OpenFile(name, flags, 0o644)
	if errors.Is(err, os.ErrNotExist) && o.DryRun {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, usageErrorf("open journal: %v", err)
	}
	st, err := o.resumeJournal(f, header, inputs)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if o.DryRun {
		f.Close()
		f = nil
	}
	return f, st.Delivered, nil
}

// resumeJournal reads the journal f of --resume, checks it was made for this run, ends
// a line cut by a kill, and says how many documents it shows delivered.
func (o *ReplayOptions) resumeJournal(f *os.File, header replay.JournalHeader, inputs []string) (*replay.JournalState, error) {
	name, stderr := o.Journal, o.IO.Err
	st, err := replay.ReadJournal(f)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", name, err)
	}
	switch {
	case st.Header != nil:
		if err := st.Header.CheckResume(o.Method, o.URL, inputs); err != nil {
			if !o.Force {
				return nil, usageErrorf("cannot resume from %s: %v (--force resumes anyway)", name, err)
			}
			fmt.Fprintf(stderr, "smarthook: warning: resuming from %s anyway (--force): %v\n", name, err)
		}
	case st.Lines > 0:
		fmt.Fprintf(stderr, "smarthook: warning: journal %s has no header (written by an older smarthook): its target and inputs are not checked, and documents it names by another path may be sent again\n", name)
	}
	if !o.DryRun {
		var extra []byte
		if st.Unterminated {
			// The last line was cut by a kill: end it, so the next line stands alone.
			extra = append(extra, '\n')
		}
		if st.Header == nil && st.Lines == 0 {
			extra = append(extra, header.Line()...)
		}
		if _, err := f.Write(extra); err != nil {
			return nil, fmt.Errorf("journal %s: %w", name, err)
		}
	}
	fmt.Fprintf(stderr, "smarthook: resuming from %s: %d document(s) already delivered", name, len(st.Delivered))
	if st.Broken > 0 {
		fmt.Fprintf(stderr, " (%d unreadable line(s) ignored, such as one cut by a kill)", st.Broken)
	}
	fmt.Fprintln(stderr)
	return st, nil
}
