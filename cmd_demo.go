package main

import (
	"context"
	"errors"
)

func cmdDemo(cl *cli, ctx context.Context, args []string) error {
	return errors.New("demo: not built yet")
}
