package listen

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// rawPost writes a whole request (headers, then all of body) before reading
// anything, as Python's urllib does, and returns the status line.
func rawPost(t *testing.T, url string, header string, body []byte) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(strings.TrimSuffix(url, "/"), "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	req := fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n", len(body), header)
	if _, err := conn.Write(append([]byte(req), body...)); err != nil {
		return "write: " + err.Error()
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "read: " + err.Error()
	}
	return strings.TrimSpace(line)
}

// TestTooLargeAnsweredToSendFirstClients: a client that sends a whole 10 MB body
// before reading gets its 413, not a connection reset.
func TestTooLargeAnsweredToSendFirstClients(t *testing.T) {
	s := start(t, Options{MaxBody: 1 << 20})
	for _, size := range []int{2 << 20, 10 << 20} {
		body := bytes.Repeat([]byte("x"), size)
		if line := rawPost(t, s.url, "", body); !strings.HasPrefix(line, "HTTP/1.1 413") {
			t.Errorf("%d bytes: got %q, want a 413", size, line)
		}
	}
	if st := s.Stats(); st.Rejected[reasonTooLarge] != 2 {
		t.Errorf("stats: %+v", st)
	}
}

// TestTooLargeUrllib is the same with Python's urllib, when python3 is installed.
func TestTooLargeUrllib(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	s := start(t, Options{MaxBody: 1 << 20})
	script := `import sys, urllib.request, urllib.error
codes = []
for size in (2 << 20, 10 << 20):
    req = urllib.request.Request(sys.argv[1], data=b"x" * size, headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=30)
        codes.append("ok")
    except urllib.error.HTTPError as e:
        codes.append(str(e.code))
    except Exception as e:
        codes.append(type(e).__name__)
print(" ".join(codes))`
	out, err := exec.Command(py, "-c", script, s.url).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "413 413" {
		t.Errorf("urllib saw %q (%v), want 413 413", out, err)
	}
}

// TestUnsignedRefusedUnread: with a secret, a post without signature is refused
// without its body being kept: a budget far smaller than the body is never asked for.
func TestUnsignedRefusedUnread(t *testing.T) {
	defer func(d time.Duration) { budgetWait = d }(budgetWait)
	budgetWait = 50 * time.Millisecond
	s := start(t, Options{Secret: []byte("k"), MaxInflight: budgetUnit, MaxBody: 1 << 20})
	body := bytes.Repeat([]byte(" "), 512<<10)
	if line := rawPost(t, s.url, "", body); !strings.HasPrefix(line, "HTTP/1.1 401") {
		t.Errorf("got %q, want 401", line)
	}
	if line := rawPost(t, s.url, "X-Smartsupp-Hmac: 00\r\n", body); !strings.HasPrefix(line, "HTTP/1.1 503") {
		t.Errorf("a signed body over the in-flight budget: got %q, want 503", line)
	}
}

// TestIdleDeclaredBodiesCostLittle opens connections that each declare 1 MiB and
// send one byte: the heap must not grow by what they declared, and a normal hook is
// still taken meanwhile.
func TestIdleDeclaredBodiesCostLittle(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 100
	}
	s := start(t, Options{MaxBody: 512 << 20})
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	addr := strings.TrimPrefix(s.url, "http://")
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n{", 1<<20)
	}
	if code, _ := post(t, s.url, fakeBodies(1)[0]); code != http.StatusNoContent {
		t.Errorf("a hook among idle connections: %d", code)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > int64(n)<<20/4 {
		t.Errorf("%d idle connections grew the heap by %d bytes", n, grew)
	}
}

// TestMaxConns: a third connection waits until one of two closes.
func TestMaxConns(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ll := newLimitListener(ln, 2)
	defer ll.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := ll.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first, second := <-accepted, <-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(200 * time.Millisecond):
	}
	first.Close()
	(<-accepted).Close()
	second.Close()
}
