package survey

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strconv"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// readerMmap is how much of the database file each reader connection maps
// into memory. In WAL mode a reader drops its whole page cache when it
// sees that another connection committed — under load, after every
// commit — and would read every page again into freshly allocated memory;
// a mapped page costs no read and no allocation. File-backed and shared
// with the kernel's page cache, so it does not add to the heap.
const readerMmap = 64 << 20

// pragmaConnector opens connections that each run one PRAGMA first
// (the driver's ConnectHook): the pools differ only in that.
type pragmaConnector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func openWithPragma(dsn, pragma string) *sql.DB {
	return sql.OpenDB(&pragmaConnector{dsn: dsn, drv: &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(pragma, nil)
		return err
	}}})
}

func (pc *pragmaConnector) Connect(context.Context) (driver.Conn, error) { return pc.drv.Open(pc.dsn) }
func (pc *pragmaConnector) Driver() driver.Driver                        { return pc.drv }

// openReaders opens the read pool on path.
func openReaders(path string) *sql.DB {
	return openWithPragma(dsn(path, true), "PRAGMA mmap_size = "+strconv.Itoa(readerMmap))
}

// openLookups opens the pool for the respondent pages' point lookups (an
// invitation by its token, on every questionnaire page), without the
// mapping: a reader that finds the database changed unmaps the whole file
// (SQLite's pager does so at the start of each read transaction after a
// commit), so under a stream of answers every lookup paid an munmap, an
// mmap and a page fault per page it touched — more than the few pages'
// reads it saves. Scans over a period keep the mapped pool.
func openLookups(path string) *sql.DB { return openWithPragma(dsn(path, true), "PRAGMA mmap_size = 0") }

// openWriter opens the writer pool on path. Its statement journals (the
// committer's release savepoint copies every page it touches, and the
// sealed pool rows it overwrites make that more than SQLite's 64 KiB
// spill threshold) stay in memory: spilled, each savepoint cost a temp
// file's open, writes, unlink and close, and left old page images in a
// file on disk.
func openWriter(path string) *sql.DB {
	return openWithPragma(dsn(path, false), "PRAGMA temp_store = MEMORY")
}
