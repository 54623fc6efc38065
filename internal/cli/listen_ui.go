package cli

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/smarthook/smarthook/internal/inspect"
	"github.com/smarthook/smarthook/internal/listen"
	"github.com/smarthook/smarthook/internal/objstore"
)

// defaultUITokenEnv is where the inspector's token is read from when set.
const defaultUITokenEnv = "SMARTHOOK_UI_TOKEN"

// startInspector makes the inspector page of listen --ui: on the hooks' own listener
// hooksLn (mounted in lo), or on its own listener with --ui-addr. Away from loopback
// every request needs the token, which comes from --ui-token-env or is made up and
// printed. It returns the lines to say on stderr once listen is ready (the page's
// address) and a function that stops it.
func startInspector(ctx context.Context, opts *ListenOptions, lo *listen.Options, hooksLn net.Listener) (string, func(), error) {
	token := ""
	if opts.IO.Getenv != nil {
		token = opts.IO.Getenv(opts.UITokenEnv)
	}
	var uiLn net.Listener
	if opts.UIAddr != "" {
		ln, err := net.Listen("tcp", opts.UIAddr)
		if err != nil {
			return "", nil, usageErrorf("--ui-addr %s: %v", opts.UIAddr, err)
		}
		uiLn = ln
	}
	shown := hooksLn
	if uiLn != nil {
		shown = uiLn
	}
	start := time.Now()
	histDir := lo.Dir
	if objstore.Is(histDir) {
		histDir = "" // the hooks already under an s3:// prefix are not listed
	}
	insp, err := inspect.New(inspect.Options{
		Dir: histDir, NDJSON: lo.NDJSON, Meta: lo.Meta, Secret: lo.Secret,
		Forward: lo.Forward, ForwardSecret: lo.ForwardSecret, UserAgent: lo.UserAgent, Insecure: lo.Insecure,
		Token: token, RequireToken: !isLoopback(shown.Addr()), TZ: lo.TZ,
	})
	if err != nil {
		if uiLn != nil {
			uiLn.Close()
		}
		return "", nil, usageErrorf("--ui: %v", err)
	}
	note := ""
	if n := insp.Listed(); n > 0 {
		note = fmt.Sprintf("inspector: %d stored hooks listed in %s\n", n, time.Since(start).Round(time.Millisecond))
	}
	lo.Observer = insp
	url := "http://" + shown.Addr().String() + listen.UIPrefix
	if !isLoopback(shown.Addr()) {
		url += "?token=" + insp.Token()
	}
	note += "inspector on " + url + "\n"
	if uiLn == nil {
		lo.UI = insp
		go func() { <-ctx.Done(); insp.Close() }()
		return note, insp.Close, nil
	}
	srv := &http.Server{
		Handler:           insp,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          log.New(opts.IO.Err, "smarthook listen: inspector: ", 0),
	}
	go srv.Serve(uiLn)
	stop := func() {
		insp.Close()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}
	go func() { <-ctx.Done(); stop() }()
	return note, stop, nil
}
