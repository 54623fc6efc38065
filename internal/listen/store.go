package listen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/jsontext"
	"github.com/smarthook/smarthook/internal/payload"
)

// stampLayout names files by their receive time: sortable, and free of characters
// that some file systems refuse.
const stampLayout = "20060102T150405.000000Z"

// store keeps an accepted body as --dir and --ndjson ask, synced (or its PUT
// answered) before it returns.
func (s *Server) store(rc *received) error {
	if s.hooks != nil {
		name, err := s.hooks.putWithMeta(rc.ctx, s.docName(rc), rc.body, rc.meta.Line())
		if err != nil {
			return err
		}
		rc.file = name
		s.counts.files.Add(1)
	}
	if s.log != nil {
		line, off, size, err := s.log.append(rc.body, &rc.meta)
		if err != nil {
			return fmt.Errorf("append to %s: %w", s.opts.NDJSON, err)
		}
		rc.line, rc.offset, rc.lineSize = line, off, size
		s.counts.lines.Add(1)
	}
	return nil
}

// docName is YYYY/MM/DD/<accountId>-<channel.id>-<receive time>.json under --dir.
// Only digits of the document and a fixed time format make up the name, never raw
// input.
func (s *Server) docName(rc *received) string {
	account, chat := "unknown", "unknown"
	switch rc.doc.Kind {
	case payload.KindHook:
		account, chat = digits(rc.doc.Hook.AccountID), digits(rc.doc.Hook.Channel.ID)
	case payload.KindWebhook:
		account = digits(rc.doc.Webhook.AccountID)
	}
	t := rc.at.UTC()
	return t.Format("2006/01/02/") + account + "-" + chat + "-" + t.Format(stampLayout) + ".json"
}

// storeRejected keeps a body that is not JSON as DIR/rejected/YYYY/MM/DD/<time>.body.
func (s *Server) storeRejected(rc *received) error {
	t := rc.at.UTC()
	if _, err := s.hooks.putUnique(rc.ctx, "rejected/"+t.Format("2006/01/02/")+t.Format(stampLayout)+".body", rc.body); err != nil {
		return err
	}
	s.counts.kept.Add(1)
	return nil
}

// digits is an id as it stands when it is only digits (an integer, or a string of
// digits as webhooks send), and "unknown" otherwise.
func digits(v payload.Value) string {
	if (v.Kind != jsontext.Number && v.Kind != jsontext.String) || v.Escaped || len(v.Raw) == 0 || len(v.Raw) > 20 {
		return "unknown"
	}
	for _, c := range v.Raw {
		if c < '0' || c > '9' {
			return "unknown"
		}
	}
	return string(v.Raw)
}

// writeUnique writes data to a new file named name, or name with a counter when that
// is taken, and returns the name used.
func writeUnique(name string, data []byte) (string, error) {
	f, err := atomicfile.Start(name) // a taken name is fine: CommitUnique finds a free one
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return f.CommitUnique()
}

// writeWithMeta stores body as name (or name with a counter when taken) with its
// sidecar name.meta, and returns the name used. The sidecar is published first and
// exclusively, so it also reserves the name: a published body always has its meta,
// and a crash in between leaves a meta without body, which the start-up sweep removes.
func writeWithMeta(name string, body, meta []byte) (string, error) {
	return freeName(name, func(try string) error {
		if _, err := os.Lstat(try); err == nil {
			return errTaken
		}
		if err := atomicfile.WriteNew(try+MetaSuffix, meta); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return errTaken
			}
			return err
		}
		f, err := atomicfile.Start(try)
		if err == nil {
			if _, err = f.Write(body); err != nil {
				f.Abort()
				err = fmt.Errorf("write %s: %w", try, err)
			} else {
				err = f.Commit()
			}
		}
		if err != nil {
			os.Remove(try + MetaSuffix)
			if errors.Is(err, fs.ErrExist) {
				return errTaken
			}
		}
		return err
	})
}

// errTaken is what a put given to freeName returns when the name is taken.
var errTaken = errors.New("name taken")

// freeName calls put with name, then name with a counter before its extension
// (x-1.json, x-2.json, ...), while put finds the name taken, and returns the name put
// took.
func freeName(name string, put func(try string) error) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for n := 0; n < 1000; n++ {
		try := name
		if n > 0 {
			try = stem + "-" + strconv.Itoa(n) + ext
		}
		err := put(try)
		if errors.Is(err, errTaken) {
			continue
		}
		if err != nil {
			return "", err
		}
		return try, nil
	}
	return "", fmt.Errorf("write %s: no free name", name)
}
