package listen

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeFinishesWorkInHand starts a hook, shuts the server down while its body is
// still to come, and checks that the server stops accepting connections, yet stores
// and answers the hook it holds, and that Serve then returns nil.
func TestServeFinishesWorkInHand(t *testing.T) {
	dir := t.TempDir()
	s, url, stop := serve(t, Options{Dir: dir})
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	body := fakeBodies(1)[0]
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", len(body))
	r := bufio.NewReader(conn)
	// "100 Continue" comes when the handler starts reading the body: it is in hand.
	if line, err := r.ReadString('\n'); err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("got %q, %v", line, err)
	}
	r.ReadString('\n')
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	// Wait (at most about 5 s) until the listener is closed: no new connection gets in.
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if i == 500 {
			t.Fatal("the listener is still open after the shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	conn.Write(body)
	if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "HTTP/1.1 204") {
		t.Fatalf("the hook in hand was answered %q, %v", line, err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	files := storedFiles(t, dir)
	if len(files) != 1 || s.Stats().Accepted != 1 {
		t.Fatalf("stored %d files", len(files))
	}
	for _, b := range files {
		if string(b) != string(body) {
			t.Error("the stored body differs")
		}
	}
}

func TestServerLimits(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := s.httpServer()
	if srv.ReadHeaderTimeout != 5*time.Second || srv.ReadTimeout != 30*time.Second || srv.WriteTimeout != 30*time.Second ||
		srv.IdleTimeout != 60*time.Second || srv.MaxHeaderBytes != 64<<10 {
		t.Errorf("server limits: %+v", srv)
	}
	_, url, _ := serve(t, Options{})
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
	req.Header.Set("X-Big", strings.Repeat("x", 100<<10))
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("100 KiB of headers: %v %v", resp, err)
	}
}
