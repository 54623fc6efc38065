package inspect

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smarthook/smarthook/internal/listen"
)

// chromium is Debian's browser, which the browser tests drive.
const chromium = "/usr/bin/chromium"

// browser starts a headless chromium for one test, bounded in time.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("browser test skipped: " + chromium + " is absent (apt-get install chromium)")
	}
	if testing.Short() && os.Getenv("SMARTHOOK_BROWSER") == "" {
		t.Skip("browser test skipped in -short mode (set SMARTHOOK_BROWSER=1 to run it)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 860),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTime(); cancelCtx(); cancelAlloc() })
	return ctx
}

// screenshot saves the page as NAME.png in $SMARTHOOK_SCREENSHOTS, when set: the
// README's pictures are taken this way.
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("SMARTHOOK_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := value(t, ctx, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// do runs actions in the browser, failing the test on the first error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// value runs one action that gives a value.
func value[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestBrowserLiveOpenResend opens the page in chromium, posts hooks and sees them
// appear without a reload, opens the one with findings (transcript, findings marked
// in the JSON), and resends it to a second listener, which gets the same bytes.
func TestBrowserLiveOpenResend(t *testing.T) {
	ctx := browser(t)
	got := make(chan []byte, 4)
	second := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- b
		w.WriteHeader(http.StatusAccepted)
	}))
	defer second.Close()
	dir := t.TempDir()
	writeStoredDir(t, dir, 3) // history from an earlier run
	r := startListen(t, listen.Options{Dir: dir}, Options{})

	do(t, ctx, chromedp.Navigate(r.base+"/_/"), chromedp.WaitVisible(`#status.live`))
	stored := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#list tbody tr").length`))
	if stored != 3 {
		t.Fatalf("the page lists %d stored hooks, want 3", stored)
	}

	good := fakeHook(10)
	bad := bytes.Replace(fakeHook(11), []byte(`"accountId":`), []byte(`"accountId":"x","was":`), 1)
	postHook(t, r.hooks, good)
	postHook(t, r.hooks, bad)
	do(t, ctx, chromedp.WaitVisible(`#list tbody tr[data-id="5"]`))
	first := value(t, ctx, chromedp.Text(`#list tbody tr:first-child`))
	do(t, ctx,
		chromedp.Click(`#list tbody tr[data-id="5"] td.kind`),
		chromedp.WaitVisible(`#detail`),
		chromedp.WaitVisible(`#findings li.bad`),
	)
	transcript := value(t, ctx, chromedp.Text(`#transcript`))
	findings := value(t, ctx, chromedp.Text(`#findings`))
	flagged := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#json .flagged[data-pointer="/accountId"]').length`))
	if !strings.Contains(first, "hook") || !strings.Contains(first, "chat") {
		t.Fatalf("newest row: %q", first)
	}
	if !strings.HasPrefix(transcript, "Chat ") {
		t.Fatalf("transcript: %q", transcript)
	}
	if !strings.Contains(findings, "/accountId") || flagged != 1 {
		t.Fatalf("findings %q, %d flagged in the JSON", findings, flagged)
	}
	screenshot(t, ctx, "inspector-hook")

	do(t, ctx,
		chromedp.SendKeys(`#resend-url`, second.URL+"/again"),
		chromedp.Click(`#resend-btn`),
		chromedp.WaitVisible(`#resend-result.ok`),
	)
	result := value(t, ctx, chromedp.Text(`#resend-result`))
	select {
	case b := <-got:
		if !bytes.Equal(b, bad) {
			t.Fatalf("the second listener got %d bytes, not the hook's %d", len(b), len(bad))
		}
	case <-ctx.Done():
		t.Fatal("nothing arrived at the second listener")
	}
	if !strings.Contains(result, "answered 202") {
		t.Fatalf("resend result: %q", result)
	}
}

// TestBrowserFilterAndCompare filters the list to hooks with findings and compares
// two hooks.
func TestBrowserFilterAndCompare(t *testing.T) {
	ctx := browser(t)
	r := startListen(t, listen.Options{}, Options{})
	for i := 0; i < 4; i++ {
		postHook(t, r.hooks, fakeHook(i))
	}
	postHook(t, r.hooks, bytes.Replace(fakeHook(4), []byte(`"accountId":`), []byte(`"accountId":"x","was":`), 1))
	do(t, ctx,
		chromedp.Navigate(r.base+"/_/"),
		chromedp.WaitVisible(`#list tbody tr[data-id="5"]`),
		chromedp.Click(`#filter-findings`),
		chromedp.WaitNotPresent(`#list tbody tr[data-id="4"]`),
	)
	shown := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#list tbody tr").length`))
	if shown != 1 {
		t.Fatalf("findings only: %d rows, want 1", shown)
	}
	do(t, ctx,
		chromedp.Click(`#filter-findings`),
		chromedp.WaitVisible(`#list tbody tr[data-id="1"]`),
		chromedp.Click(`#list tbody tr[data-id="1"] .tick`),
		chromedp.Click(`#list tbody tr[data-id="2"] .tick`),
		chromedp.Click(`#compare-btn`),
		chromedp.WaitVisible(`#diff tr`),
	)
	title := value(t, ctx, chromedp.Text(`#diff-title`))
	if !strings.Contains(title, "#1 → #2") || !strings.Contains(title, "changes") {
		t.Fatalf("diff title %q", title)
	}
	screenshot(t, ctx, "inspector-diff")
}
