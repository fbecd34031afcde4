// Command integritas runs the integrity assessment survey: the web service,
// the demo city, and the operators' commands. main only wires: the command
// line lives in internal/cli.
package main

import (
	"os"

	"integritas/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
