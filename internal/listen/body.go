package listen

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// budgetUnit is the grain of the in-flight byte budget: a body holds one unit per
// budgetUnit bytes of buffer it has grown to, never more than it has received.
const budgetUnit = 4 << 10

// budgetWait is how long a body waits for room in the in-flight budget before it is
// answered 503: long enough to ride out a burst, short enough not to pile up.
var budgetWait = 5 * time.Second

// errBusy is returned when the in-flight budget stayed full for budgetWait.
var errBusy = errors.New("too many bytes in flight")

// errTooLarge is returned when a body is longer than --max-body.
var errTooLarge = errors.New("body larger than the limit")

// budget caps the bytes of request bodies held in memory across all connections.
// Its tokens are budgetUnit bytes each.
type budget struct{ tokens chan struct{} }

func newBudget(bytes int64) *budget {
	n := bytes / budgetUnit
	if n < 1 {
		n = 1
	}
	return &budget{tokens: make(chan struct{}, n)}
}

// acquire takes n tokens, waiting at most budgetWait; on failure it holds none.
func (b *budget) acquire(ctx context.Context, n int) error {
	var timer *time.Timer
	for i := 0; i < n; i++ {
		select {
		case b.tokens <- struct{}{}:
			continue
		default:
		}
		if timer == nil {
			timer = time.NewTimer(budgetWait)
			defer timer.Stop()
		}
		select {
		case b.tokens <- struct{}{}:
		case <-timer.C:
			b.release(i)
			return errBusy
		case <-ctx.Done():
			b.release(i)
			return ctx.Err()
		}
	}
	return nil
}

func (b *budget) release(n int) {
	for range n {
		<-b.tokens
	}
}

// readBody reads the body as its bytes arrive, growing its buffer only as far as
// what was received, within max and the in-flight budget. It never trusts the
// declared Content-Length for an allocation. The caller releases held tokens.
func (s *Server) readBody(r *http.Request, max int64) (body []byte, held int, err error) {
	if r.ContentLength > max {
		return nil, 0, errTooLarge
	}
	if err := s.inflight.acquire(r.Context(), 1); err != nil {
		return nil, 0, err
	}
	held = 1
	buf := make([]byte, 0, budgetUnit)
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > max {
				return nil, held, errTooLarge
			}
			grow := cap(buf) // doubling, but not past max+1 (room to see the limit crossed)
			if rest := max + 1 - int64(cap(buf)); int64(grow) > rest {
				grow = int((rest + budgetUnit - 1) / budgetUnit * budgetUnit)
			}
			if err := s.inflight.acquire(r.Context(), grow/budgetUnit); err != nil {
				return nil, held, err
			}
			held += grow / budgetUnit
			nb := make([]byte, len(buf), cap(buf)+grow)
			copy(nb, buf)
			buf = nb
		}
		n, rerr := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return nil, held, errTooLarge
		}
		if rerr == io.EOF {
			return buf, held, nil
		}
		if rerr != nil {
			return nil, held, rerr
		}
	}
}

// lingerTime bounds how long a refused body is read and thrown away.
const lingerTime = 5 * time.Second

// lingerBytes is how much of a refused body is read and thrown away, so that clients
// that send the whole body before reading the answer (Python's urllib, many SDKs)
// see the answer instead of a connection reset: four times the limit, and at least
// 64 MiB, as nginx's lingering close does. Thrown-away bytes cost no memory.
func lingerBytes(limit int64) int64 {
	return min(max(4*limit, 64<<20), 1<<40)
}

// drain reads and discards what is left of a refused body, within lingerBytes and
// lingerTime, and marks the connection to be closed after the answer. A client that
// asked to be told before sending (Expect: 100-continue) is not asked for the body.
func drain(w http.ResponseWriter, r *http.Request, limit int64) {
	w.Header().Set("Connection", "close")
	if r.ContentLength > lingerBytes(limit) {
		return // more than we would read: answer now and close
	}
	if r.Header.Get("Expect") == "100-continue" && r.ContentLength != 0 {
		return // Go sends 100 Continue only when the body is read: not asking is enough
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(lingerTime))
	_, _ = io.CopyN(io.Discard, r.Body, lingerBytes(limit))
}

// limitListener accepts at most n connections at once; more wait in the kernel's
// backlog until one closes.
type limitListener struct {
	net.Listener
	sem  chan struct{}
	done chan struct{}
	once sync.Once
}

func newLimitListener(ln net.Listener, n int) *limitListener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n), done: make(chan struct{})}
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn gives its slot back once, on Close.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
