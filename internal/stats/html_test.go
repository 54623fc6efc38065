package stats

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smarthook/smarthook/internal/fake"
)

const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium on page with extra flags and returns its stderr.
// Host names resolve to nothing, so the browser's own background requests never leave
// the machine either.
func chromium(t *testing.T, page string, extra ...string) (stdout, stderr []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + t.TempDir(),
		"--enable-logging=stderr", "--v=0", "--window-size=1100,1600"}, extra...)
	cmd := exec.CommandContext(ctx, chromiumPath, append(args, "file://"+page)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errOut.Bytes())
	}
	return out.Bytes(), errOut.Bytes()
}

// TestHTMLInChromium opens the report in headless Chromium: it loads without a
// console message and without asking the network for anything, every chart has one
// mark per value, and its screenshot is a real picture.
func TestHTMLInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("chromium is not installed (Debian package chromium): the browser check of the HTML report is skipped")
	}
	path, _ := generate(t, 3000, 8)
	reports := filepath.Join(t.TempDir(), "reports.ndjson")
	g := fake.New(fake.Options{Seed: 8, Kind: fake.KindStats})
	var lines []byte
	for i := range 48 {
		lines = append(g.Append(lines, i), '\n')
	}
	if err := os.WriteFile(reports, lines, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := collect(t, Options{Paths: []string{path, reports}, TZ: time.UTC})
	page := filepath.Join(t.TempDir(), "report.html")
	var buf bytes.Buffer
	if err := WriteHTML(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	checkSelfContained(t, buf.String())

	netLog := filepath.Join(t.TempDir(), "net.json")
	dom, logs := chromium(t, page, "--dump-dom", "--log-net-log="+netLog)
	if m := regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`).FindAll(logs, -1); len(m) > 0 {
		t.Errorf("console messages while loading the report:\n%s", bytes.Join(m, []byte("\n")))
	}
	if reqs := pageRequests(t, netLog); len(reqs) > 0 {
		t.Errorf("the report made network requests: %v", reqs)
	}
	want := map[string]int{"volume": len(rep.Volume), "heatmap": 7 * 24, "response": 2 * len(histogramEdges), "ratings": 5,
		"domains": min(len(rep.Domains), maxDomainLines)}
	if len(rep.Domains) < 2 {
		t.Fatalf("want several domains, got %d", len(rep.Domains))
	}
	if len(rep.Volume) < 2 {
		t.Fatalf("want several days of chats, got %d", len(rep.Volume))
	}
	for id, n := range want {
		if got := marksIn(dom, id); got != n {
			t.Errorf("chart %s has %d marks in the rendered DOM, want %d", id, got, n)
		}
	}
	if !bytes.Contains(dom, []byte(`id="table-agents"`)) {
		t.Error("no agents table in the rendered DOM")
	}

	shot := filepath.Join(t.TempDir(), "shot.png")
	chromium(t, page, "--screenshot="+shot, "--hide-scrollbars")
	checkNotBlank(t, shot)
}

// checkSelfContained fails on anything that would fetch: scripts, sources, links
// other than data: URLs, CSS url().
func checkSelfContained(t *testing.T, html string) {
	t.Helper()
	for _, re := range []string{`<script`, `<[^>]*\ssrc=`, `url\(`, `<[^>]*\shref="[^d#]`, `@import`} {
		if m := regexp.MustCompile(re).FindString(html); m != "" {
			t.Errorf("the report refers outside itself: %q", m)
		}
	}
}

// pageRequests lists the URL requests the page started, from Chromium's net log
// (the browser's own requests have the initiator "not an origin").
func pageRequests(t *testing.T, netLog string) []string {
	t.Helper()
	raw, err := os.ReadFile(netLog)
	if err != nil {
		t.Fatalf("no net log: %v", err)
	}
	// Chromium may leave the log without its closing brackets when it exits.
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int            `json:"type"`
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		fixed := append(bytes.TrimRight(bytes.TrimSpace(raw), ","), "]}"...)
		if err := json.Unmarshal(fixed, &log); err != nil {
			t.Fatalf("read the net log: %v", err)
		}
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		t.Fatal("the net log has no URL_REQUEST_START_JOB event type")
	}
	var out []string
	for _, e := range log.Events {
		if e.Type != start {
			continue
		}
		url, hasURL := e.Params["url"].(string)
		if init, _ := e.Params["initiator"].(string); hasURL && init != "not an origin" {
			out = append(out, url)
		}
	}
	return out
}

// marksIn counts the marks of the chart svg#chart-id in a DOM dump.
func marksIn(dom []byte, id string) int {
	s := string(dom)
	i := strings.Index(s, `id="chart-`+id+`"`)
	if i < 0 {
		return -1
	}
	end := strings.Index(s[i:], "</svg>")
	if end < 0 {
		return -1
	}
	return strings.Count(s[i:i+end], `class="mark"`)
}

// checkNotBlank decodes the screenshot and wants more than a handful of colours.
func checkNotBlank(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode the screenshot: %v", err)
	}
	colours := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, bl, a}] = true
		}
	}
	if b.Dx() < 500 || b.Dy() < 500 || len(colours) < 20 {
		t.Errorf("screenshot %dx%d with %d colours: looks blank", b.Dx(), b.Dy(), len(colours))
	}
}

// TestHTMLWithoutChats draws only the domains chart for a run of stats reports.
func TestHTMLWithoutChats(t *testing.T) {
	g := fake.New(fake.Options{Seed: 3, Kind: fake.KindStats})
	var lines []byte
	for i := range 5 {
		lines = append(g.Append(lines, i), '\n')
	}
	dir := writeFiles(t, map[string]string{"r.ndjson": string(lines)})
	var buf bytes.Buffer
	if err := WriteHTML(&buf, collect(t, Options{Paths: []string{dir}})); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, `id="chart-heatmap"`) || !strings.Contains(page, `id="chart-domains"`) || !strings.Contains(page, "No chats") {
		t.Errorf("a report without chats should show only the domains chart")
	}
	checkSelfContained(t, page)
}

// TestHTMLEscapesInput: names, URLs and referrers come from visitors and are written as
// text, never as markup.
func TestHTMLEscapesInput(t *testing.T) {
	doc := `{"accountId":1,"beginAt":1767600000000,"endAt":1767600100000,"channel":{"id":1},` +
		`"visitor":{"referer":"https://x.example/\"><script>alert(1)</script>"},` +
		`"paths":[{"url":"javascript:alert(2)<img src=x onerror=alert(3)>"}],"messages":[` +
		`{"type":"visitor","from":"visitor:k","content":"hi","sentAt":1767600000000},` +
		`{"type":"agent","from":"agent:<b>9</b>","name":"<svg onload=alert(4)>","content":"Hi","sentAt":1767600030000}]}`
	dir := writeFiles(t, map[string]string{"c.json": doc})
	var buf bytes.Buffer
	if err := WriteHTML(&buf, collect(t, Options{Paths: []string{dir}})); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"<script>alert", "<img src=x", "<svg onload", "<b>9</b>"} {
		if strings.Contains(page, bad) {
			t.Errorf("input written as markup: %q", bad)
		}
	}
	if !strings.Contains(page, "&lt;svg onload=alert(4)&gt;") {
		t.Error("the agent's name is missing from the page")
	}
	checkSelfContained(t, page)
}
