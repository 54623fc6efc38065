// Command smarthook validates, shows, queries, converts and replays Smartsupp webhook payloads.
package main

import (
	"os"

	"github.com/smarthook/smarthook/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.SystemIO()))
}
