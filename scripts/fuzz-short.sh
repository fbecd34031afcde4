#!/bin/sh
# A short run of every fuzz target in the module (CI runs it after the unit
# tests): each target for FUZZTIME (default 10s), starting from its seed
# corpus (f.Add and testdata/fuzz/<Target>/). A failure stops the script;
# the failing input is written to the package's testdata/fuzz/<Target>/,
# where it stays as a regression seed once committed.
#
#   sh scripts/fuzz-short.sh            # every target, 10 s each
#   FUZZTIME=2m sh scripts/fuzz-short.sh
#
# Go 1.26's fuzz coordinator can fail a target with a bare "context
# deadline exceeded" when its -fuzztime ends while a starved worker is
# mid-call (go.dev/issue/75804, fixed in Go 1.27): nothing is found and no
# input is written. Such a run is retried once, after replaying the target's
# corpus; a second failure, or any failure that wrote an input, fails.
set -eu
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
targets=$(grep -rhoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . | wc -l)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# fuzz_one PKG NAME [retry] fuzzes one target; it returns 1 only for the
# coordinator's deadline race on a first try, and exits on anything else.
fuzz_one() {
	echo "+ go test $1 -run '^\$' -fuzz '^$2\$' -fuzztime $fuzztime"
	if go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" >"$log" 2>&1; then
		cat "$log"
		return 0
	fi
	cat "$log"
	if [ "${3:-}" = "" ] && ! grep -q 'Failing input written' "$log" &&
		[ "$(grep -c -- '--- FAIL' "$log")" = 1 ] && grep -qx '    context deadline exceeded' "$log"; then
		echo "!! $2: the fuzz coordinator's deadline race (go.dev/issue/75804), no input found; replaying the corpus, then fuzzing once more"
		go test "$1" -run "^$2\$" || exit 1
		return 1
	fi
	exit 1
}

echo "fuzzing $targets targets for $fuzztime each"
for file in $(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . | sort); do
	pkg="./$(dirname "${file#./}")"
	for name in $(grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed 's/^func //'); do
		fuzz_one "$pkg" "$name" || fuzz_one "$pkg" "$name" retry
	done
done
