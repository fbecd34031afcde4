#!/bin/sh
# Static gates CI runs before the tests: gofmt, go vet, staticcheck and govulncheck.
# Everything comes through the Go module proxy, nothing else: the tools are
# installed with `go install` at pinned versions, and the vulnerability database
# is the module golang.org/x/vulndb (newest version, so new advisories fail the
# build), whose data/osv entries are laid out as govulncheck's v1 database by
# the module's own cmd/indexdb. govulncheck exits non-zero on any vulnerability
# with a reachable call path, which fails this script.
#
# GOTOOLCHAIN=auto so the `toolchain` line of go.mod is honoured even where the
# machine's go env says local: the standard library is checked at the patched
# version the module asks for, not at whatever `go` happens to be installed.
#
#   sh scripts/vulncheck.sh        # about 4-6 min on two busy cores, cold
set -eu
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=auto
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

govulncheck_version=v1.10.0
staticcheck_version=v0.8.2

echo "+ go install govulncheck@$govulncheck_version staticcheck@$staticcheck_version"
(cd "$work" && GOBIN="$work/bin" go install "golang.org/x/vuln/cmd/govulncheck@$govulncheck_version" &&
	GOBIN="$work/bin" go install "honnef.co/go/tools/cmd/staticcheck@$staticcheck_version")

echo "+ go mod download golang.org/x/vulndb@latest"
json=$(cd "$work" && go mod download -json golang.org/x/vulndb@latest)
dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
version=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Version": "\(.*\)",$/\1/p')
if [ -z "$dir" ] || [ ! -d "$dir/data/osv" ]; then
	echo "vulncheck: golang.org/x/vulndb has no data/osv (download said: $json)" >&2
	exit 1
fi
echo "+ indexdb golang.org/x/vulndb@$version ($(ls "$dir/data/osv" | wc -l) entries)"
(cd "$work" && go run "golang.org/x/vulndb/cmd/indexdb@$version" -vulns "$dir/data/osv" -out "$work/db")

cd "$root"
echo "+ gofmt -l ."
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "gofmt: these files are not formatted:" >&2
	echo "$unformatted" >&2
	exit 1
fi
echo "+ go vet ./..."
go vet ./...
echo "+ staticcheck ./..."
"$work/bin/staticcheck" ./...
echo "+ govulncheck -db file://$work/db ./... ($(go env GOVERSION))"
"$work/bin/govulncheck" -db "file://$work/db" ./...
echo "vulncheck: vet, staticcheck and govulncheck clean in $(($(date +%s) - start)) s"
