package inspect

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// event says that a hook was listed ("hook") or its forward state changed ("forward").
type event struct {
	name string
	id   int64
}

// subscribers are the open event streams. A stream that cannot keep up is closed; its
// page reconnects and reloads the list.
type subscribers struct {
	mu   sync.Mutex
	subs map[chan event]struct{}
}

func (s *subscribers) add() chan event {
	ch := make(chan event, 256)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	return ch
}

func (s *subscribers) remove(ch chan event) {
	s.mu.Lock()
	if _, ok := s.subs[ch]; ok {
		delete(s.subs, ch)
		close(ch)
	}
	s.mu.Unlock()
}

func (s *subscribers) publish(ev event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- ev:
		default: // too slow: drop it, its page reconnects
			delete(s.subs, ch)
			close(ch)
		}
	}
}

// heartbeat keeps idle streams open through proxies and finds closed ones.
var heartbeat = 15 * time.Second

// serveEvents streams "hook" and "forward" events, each with the hook's row as data.
func (in *Inspector) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported here", http.StatusInternalServerError)
		return
	}
	// The server's timeouts are for hooks; a stream stays open until the page goes.
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	_ = rc.SetReadDeadline(time.Time{})
	ctx, cancel := in.serveContext(r)
	defer cancel()
	ch := in.subs.add()
	defer in.subs.remove(ch)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	fmt.Fprint(w, "retry: 1000\n: connected\n\n")
	flusher.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
		case ev, open := <-ch:
			if !open {
				return
			}
			e := in.store.byID(ev.id)
			if e == nil {
				continue
			}
			data, _ := json.Marshal(in.row(e))
			fmt.Fprintf(w, "event: %s\nid: %d\ndata: %s\n\n", ev.name, ev.id, data)
		}
		flusher.Flush()
	}
}
