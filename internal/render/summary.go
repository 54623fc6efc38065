package render

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/smarthook/smarthook/internal/payload"
)

// SummaryRow is one document's row of a summary table. Empty cells are shown as "-".
type SummaryRow struct {
	Origin, Chat, Begin, Duration, Messages, Visitor, Rating, Flags string
}

// SummaryHeader names the columns of a summary table.
var SummaryHeader = []string{"origin", "chat", "begin", "duration", "messages", "visitor", "rating", "flags"}

// maxVisitor is the widest a visitor cell gets.
const maxVisitor = 30

// Summarize fills the row of doc, all but its Origin, with times in loc.
func Summarize(doc *payload.Doc, loc *time.Location) SummaryRow {
	switch doc.Kind {
	case payload.KindHook:
		return summarizeHook(&doc.Hook, loc)
	case payload.KindWebhook:
		return summarizeWebhook(&doc.Webhook, loc)
	case payload.KindStats:
		return SummaryRow{Flags: "stats report, " + strconv.Itoa(len(doc.Stats.Domains)) + " domain(s)"}
	}
	return SummaryRow{Flags: "not a Smartsupp payload"}
}

func summarizeHook(h *payload.Hook, loc *time.Location) SummaryRow {
	r := SummaryRow{
		Chat:     raw(h.Channel.ID),
		Messages: strconv.Itoa(len(h.Messages)),
		Flags:    strings.Join(flags(&h.Channel), ", "),
	}
	if ms, ok := h.BeginAt.Int(); ok {
		r.Begin = formatTime(ms, loc)
	}
	if d, ok := duration(h); ok {
		r.Duration = formatDuration(d)
	}
	r.Visitor = firstOf(visitorName(&h.Visitor), textOf(h.Visitor.Email))
	r.Rating, _ = rating(&h.Channel)
	return r
}

func summarizeWebhook(w *payload.Webhook, loc *time.Location) SummaryRow {
	r := SummaryRow{Flags: textOf(w.Event)}
	if at, ok := payload.ParseISOTime(textOf(w.Timestamp)); ok {
		r.Begin = at.In(loc).Format(time.RFC3339)
	}
	c := &w.Conversation
	r.Chat = firstOf(textOf(c.ID), textOf(w.ConversationID))
	switch {
	case c.MessagesValue.Present():
		r.Messages = strconv.Itoa(len(w.Messages))
	case w.Message.Self.Present():
		r.Messages = "1"
	}
	r.Visitor = firstOf(textOf(w.Contact.Name), textOf(w.Contact.Email), textOf(c.ContactName), textOf(c.ContactEmail))
	r.Rating = firstOf(present(w.RatingValue), present(c.RatingValue))
	if ct := firstOf(textOf(w.CloseType), textOf(c.CloseType)); ct != "" {
		r.Flags += " (" + ct + ")"
	}
	return r
}

// present is a value as written, "" when absent or null.
func present(v payload.Value) string {
	if !v.Present() || v.IsNull() {
		return ""
	}
	return raw(v)
}

// cells is the row as table cells.
func (r *SummaryRow) cells() []string {
	cells := []string{r.Origin, r.Chat, r.Begin, r.Duration, r.Messages, truncate(oneLine(r.Visitor), maxVisitor), r.Rating, r.Flags}
	for i, c := range cells {
		if c == "" {
			cells[i] = "-"
		}
	}
	return cells
}

// oneLine keeps a cell on one line.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// SummaryTable writes summary rows as tables. To keep memory flat however many
// documents there are, it holds at most Chunk rows: when that many have come it renders
// them as one table and starts the next (with its own header).
type SummaryTable struct {
	w     io.Writer
	chunk int
	rows  [][]string
}

// DefaultChunk is how many rows a summary table holds unless told otherwise.
const DefaultChunk = 1000

// NewSummaryTable returns a table writing to w in tables of at most chunk rows
// (DefaultChunk when chunk <= 0).
func NewSummaryTable(w io.Writer, chunk int) *SummaryTable {
	if chunk <= 0 {
		chunk = DefaultChunk
	}
	return &SummaryTable{w: w, chunk: chunk}
}

// Add adds a row, rendering the pending rows when the chunk is full.
func (t *SummaryTable) Add(r SummaryRow) error {
	t.rows = append(t.rows, r.cells())
	if len(t.rows) >= t.chunk {
		return t.Flush()
	}
	return nil
}

// Flush renders the pending rows, if any, as one table.
func (t *SummaryTable) Flush() error {
	if len(t.rows) == 0 {
		return nil
	}
	tw := tablewriter.NewWriter(t.w)
	tw.Header(SummaryHeader)
	if err := tw.Bulk(t.rows); err != nil {
		return err
	}
	clear(t.rows)
	t.rows = t.rows[:0]
	return tw.Render()
}
