#!/bin/sh
# Runs every test suite and prints one summary line: "N passed, N failed".
# Each suite prints PASS/FAIL/SKIP lines of its own; this script counts them.
# Environment: DYAD, UNIT, REPLAY (built programs), BUILD (build folder).
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

suite() {
	name=$1
	shift
	echo "--- $name"
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	printf '%s\n' "$out" >>"$log"
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
		echo "FAIL $name: exited $rc"
		echo "FAIL $name: exited $rc" >>"$log"
	fi
}

suite unit "$UNIT"
suite golden python3 tests/golden.py
suite cli python3 tests/cli.py
suite fuzz-replay sh -c "'$REPLAY' fuzz/corpus/read fuzz/corpus/dict >/dev/null && echo 'PASS fuzz replay: every corpus file' "
suite pathological python3 tests/pathological.py
suite gold sh tests/gold.sh
suite refdata sh tests/refdata.sh

passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^SKIP ' "$log")
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
