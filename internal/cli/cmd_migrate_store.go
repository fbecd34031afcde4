package cli

import (
	"context"
	"errors"

	"integritas/internal/pgdb"
	"integritas/survey"
)

// cmdMigrateStore copies a SQLite database into an empty PostgreSQL one
// with the same key file, and commits only when every table's row count
// and digest match the source's (survey.CopyStore). The server must be
// stopped while it runs; afterwards it is started with --db on the URL.
func cmdMigrateStore(cl *cli, ctx context.Context, args []string) error {
	fs, cfg := cl.flags("migrate-store")
	from := fs.String("from", "", cl.t("cli.flag.migrate_from"))
	to := fs.String("to", "", cl.t("cli.flag.migrate_to"))
	if _, err := cl.parse(fs, cfg, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return cl.fail("cli.migrate.usage")
	}
	if survey.IsPostgres(*from) {
		return cl.fail("cli.migrate.from_pg") // names no URL: it may hold a password
	}
	if !survey.IsPostgres(*to) {
		return cl.fail("cli.migrate.to_not_pg", "To", *to)
	}
	key := cfg.KeyFile
	if key == "" {
		key = *from + ".key"
	}
	src, err := survey.Open(ctx, *from, survey.WithKeyFile(key), survey.WithClock(cl.now))
	if err != nil {
		return cl.wrap(err, "cli.migrate.open", "DB", *from)
	}
	defer src.Close()
	dst, err := survey.Open(ctx, *to, survey.WithKeyFile(key), survey.WithClock(cl.now))
	if err != nil {
		return cl.wrap(err, "cli.migrate.open", "DB", pgdb.Redact(*to))
	}
	defer dst.Close()
	tables, err := survey.CopyStore(ctx, src, dst)
	switch {
	case errors.Is(err, survey.ErrNotEmpty):
		return cl.fail("cli.migrate.not_empty", "To", pgdb.Redact(*to))
	case errors.Is(err, survey.ErrKeyMismatch):
		return cl.fail("cli.migrate.key_mismatch", "Key", key)
	case err != nil:
		return cl.wrap(err, "cli.migrate.failed")
	}
	rows := 0
	for _, t := range tables {
		cl.say("cli.migrate.table", "Table", t.Table, "Rows", t.Rows, "Digest", t.Digest[:16])
		rows += t.Rows
	}
	if err := dst.Audit(ctx, "cli", "ops.migrate_store", "file:"+*from, cl.t("cli.migrate.audit", "Tables", len(tables), "Rows", rows)); err != nil {
		return cl.wrap(err, "cli.audit")
	}
	cl.say("cli.migrate.done", "From", *from, "To", pgdb.Redact(*to), "Tables", len(tables), "Rows", rows, "Key", key)
	return nil
}
