package listen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/smarthook/smarthook/internal/atomicfile"
	"github.com/smarthook/smarthook/internal/payload"
)

// The outbox is a folder with one file per hook still to forward, NNNNNNNNNNNNNNNNNNNN.hook
// (a sequence number, so names sort in arrival order): a line of JSON (outboxHeader),
// then the body byte for byte. A file is written and synced before the sender gets its
// 2xx, removed once the target took it, and moved to given-up/ when --forward-max-age
// passes first.
const (
	outboxExt     = ".hook"
	givenUpFolder = "given-up"
)

// outboxHeader is the first line of an outbox file.
type outboxHeader struct {
	ID          string    `json:"id"`
	Chat        string    `json:"chat"` // hooks of one chat are forwarded in order
	Label       string    `json:"label"`
	ReceivedAt  time.Time `json:"received_at"`
	ContentType string    `json:"content_type,omitempty"`
	Signature   string    `json:"signature,omitempty"`
}

// job is one hook in the outbox.
type job struct {
	seq      uint64
	path     string
	hdr      outboxHeader
	attempts int // tries so far, for the journal
	streak   int // failed tries since the target was last seen answering, for the wait
}

// writeJob stores a hook in the outbox, synced, before it returns.
func writeJob(dir string, seq uint64, hdr outboxHeader, body []byte) (*job, error) {
	line, err := json.Marshal(hdr)
	if err != nil {
		return nil, err
	}
	data := make([]byte, 0, len(line)+1+len(body))
	data = append(append(append(data, line...), '\n'), body...)
	name := filepath.Join(dir, fmt.Sprintf("%020d%s", seq, outboxExt))
	if err := atomicfile.WriteNew(name, data); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return &job{seq: seq, path: name, hdr: hdr}, nil
}

// readJobBody is the body of an outbox file.
func readJobBody(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return nil, fmt.Errorf("%s: no header line", path)
	}
	return data[i+1:], nil
}

// loadJobs reads the headers of the hooks an earlier run left in the outbox, in
// arrival order, and removes temporary files a crash left there.
func loadJobs(dir string, warn func(string, ...any)) ([]*job, error) {
	if err := os.MkdirAll(filepath.Join(dir, givenUpFolder), 0o755); err != nil {
		return nil, fmt.Errorf("outbox %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("outbox %s: %w", dir, err)
	}
	var jobs []*job
	for _, e := range entries {
		name := e.Name()
		if tempName.MatchString(name) {
			os.Remove(filepath.Join(dir, name)) // never acknowledged: its sender got no 2xx
			continue
		}
		seq, err := strconv.ParseUint(strings.TrimSuffix(name, outboxExt), 10, 64)
		if e.IsDir() || !strings.HasSuffix(name, outboxExt) || err != nil {
			continue
		}
		j := &job{seq: seq, path: filepath.Join(dir, name)}
		if err := readHeader(j.path, &j.hdr); err != nil {
			warn("outbox: %s is unreadable, left alone: %v", j.path, err)
			continue
		}
		jobs = append(jobs, j)
	}
	sort.Slice(jobs, func(a, b int) bool { return jobs[a].seq < jobs[b].seq })
	return jobs, nil
}

func readHeader(path string, hdr *outboxHeader) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(f, 4096).ReadSlice('\n')
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, bufio.ErrBufferFull) {
			return errors.New("no header line")
		}
		return err
	}
	return json.Unmarshal(line, hdr)
}

// giveUp moves a hook out of the way, into given-up/, where it is kept.
func giveUp(j *job) error {
	return os.Rename(j.path, filepath.Join(filepath.Dir(j.path), givenUpFolder, filepath.Base(j.path)))
}

// chatKey names the conversation a document belongs to: hooks of one chat are
// forwarded in the order they came. Legacy hooks: accountId and channel.id; REST
// webhooks: account_id and the conversation id in data.
func chatKey(doc *payload.Doc) string {
	switch doc.Kind {
	case payload.KindHook:
		return "hook " + digits(doc.Hook.AccountID) + "/" + digits(doc.Hook.Channel.ID)
	case payload.KindWebhook:
		var data struct {
			ConversationID json.RawMessage `json:"conversation_id"`
			Conversation   struct {
				ID json.RawMessage `json:"id"`
			} `json:"conversation"`
			Message struct {
				ConversationID json.RawMessage `json:"conversation_id"`
			} `json:"message"`
		}
		_ = json.Unmarshal(doc.Webhook.Data.Raw, &data) // an odd data member: the account's queue
		id := data.Conversation.ID
		if id == nil {
			id = data.Message.ConversationID
		}
		if id == nil {
			id = data.ConversationID
		}
		return "webhook " + digits(doc.Webhook.AccountID) + "/" + printable(string(id), 80)
	case payload.KindStats:
		return "stats"
	}
	return "other"
}
