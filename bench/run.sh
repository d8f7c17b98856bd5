#!/usr/bin/env bash
# bench/run.sh [--quick]: times otpic beside its peers on synthetic knowledge bases.
#
# Generates 100, 10,000 and 100,000 entries with examples/gen-kb.rs, then times
# whole processes with hyperfine (warm page cache, warm index, medians) and
# prints a table of medians, ratios against the peers of the same run, and peak
# memory; `otpic browse` in a scripted session, in process and on a pseudo-terminal
# (keystroke to the redraw that shows its result, opening against show); then the same commands with the change watcher (OTPIC_WATCH=1), and the
# freshness floor (examples/stat-floor.rs: only a stat of every entry file, as
# otpic does it). --quick: 100 and 10,000 entries only, fewer runs (about 4 minutes).
#
# Environment: OTPIC_BIN times another build of otpic (default: this checkout's
# release build); BENCH_DIR keeps the generated knowledge bases and results
# there instead of a temporary directory that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

QUICK=0
if [[ ${1:-} == --quick ]]; then QUICK=1; fi
if ((QUICK)); then SIZES="100 10000"; RUNS=5; else SIZES="100 10000 100000"; RUNS=15; fi

# Tools, from the system's packages when missing.
install() {
    if ! command -v apt-get >/dev/null; then
        echo "bench: $1 is missing and apt-get is not available; install it" >&2
        return 1
    fi
    apt-get install -y -qq "$@" >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$@" >/dev/null 2>&1; }
}
command -v hyperfine >/dev/null || install hyperfine
command -v rg >/dev/null || install ripgrep
command -v fzf >/dev/null || install fzf
[[ -x /usr/bin/time ]] || install time
command -v tldr >/dev/null || install tealdeer || echo "bench: tealdeer is not available; its row is left out" >&2
command -v python3 >/dev/null || install python3
python3 -c 'import tomllib' 2>/dev/null || { echo "bench: python3 >= 3.11 (tomllib) is needed" >&2; exit 2; }
# pyte (a terminal emulator in Python) reads otpic browse's screen in browse-session.py.
PYTE=python3
if ! python3 -c 'import pyte' 2>/dev/null; then
    /usr/bin/python3 -c 'import pyte' 2>/dev/null || install python3-pyte || true
    PYTE=/usr/bin/python3
    $PYTE -c 'import pyte' 2>/dev/null || { echo "bench: pyte is needed (apt-get install python3-pyte)" >&2; exit 2; }
fi

cargo build --release --quiet --example gen-kb --example browse-timing --example stat-floor
if [[ -z ${OTPIC_BIN:-} ]]; then
    cargo build --release --quiet --bin otpic
    OTPIC_BIN=$ROOT/target/release/otpic
fi
GEN=$ROOT/target/release/examples/gen-kb
BROWSE=$ROOT/target/release/examples/browse-timing
FLOOR=$ROOT/target/release/examples/stat-floor

if [[ -n ${BENCH_DIR:-} ]]; then
    WORK=$BENCH_DIR
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d -t otpic-bench.XXXXXX)
fi
# Leave no watcher running, and no temporary directory.
cleanup() {
    OTPIC_CACHE_DIR=$WORK/cache "$OTPIC_BIN" watch stop --all >/dev/null 2>&1 || true
    if [[ -z ${BENCH_DIR:-} ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
RESULTS=$WORK/results
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
export OTPIC_CACHE_DIR=$WORK/cache
unset OTPIC_ENTRIES NO_COLOR COLUMNS PAGER OTPIC_PAGER OTPIC_CONFIG OTPIC_WATCH || true

# hyperfine NAME [hyperfine options…] COMMAND: one timing, exported as JSON.
bench() {
    local name=$1
    shift
    hyperfine --style none --export-json "$RESULTS/$name.json" "$@" >/dev/null 2>"$RESULTS/$name.err" ||
        { echo "bench: $name failed:" >&2; cat "$RESULTS/$name.err" >&2; exit 1; }
}
# peak NAME COMMAND…: peak resident memory in KB, from GNU time.
peak() {
    local name=$1
    shift
    /usr/bin/time -f %M -o "$RESULTS/$name.rss" "$@" >/dev/null 2>&1 || true
}

fast=(-N --warmup 3 --min-runs "$RUNS")

echo "bench: machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2

# The embedded knowledge base, against tealdeer rendering one page and cat.
bench embedded-show "${fast[@]}" "$OTPIC_BIN show collective security"
peak embedded-show "$OTPIC_BIN" show collective security
bench embedded-cat "${fast[@]}" "cat $ROOT/entries/collective-security.toml"
if command -v tldr >/dev/null; then
    bench embedded-tldr "${fast[@]}" "tldr --render $ROOT/bench/tldr-page.md"
fi

for n in $SIZES; do
    kb=$WORK/kb-$n
    if [[ ! -f $WORK/hints-$n ]]; then
        rm -rf "$kb"
        "$GEN" "$n" "$kb" >"$WORK/hints-$n"
        # Files written in the last 2 s are read again by every run (their times
        # may not show a second change yet): start once they have settled.
        sleep 2.1
    fi
    # show=ID search=WORD fuzzy=QUERY bytes=… entries=…
    read -r show search fuzzy _ < <(sed 's/[a-z]*=//g' "$WORK/hints-$n")
    file=$(find "$kb" -name "$show.toml" | head -1)
    find "$kb" -name '*.toml' -printf '%f\n' | sed 's/\.toml$//' >"$WORK/ids-$n"
    o="$OTPIC_BIN --entries $kb"
    runs=(-N --warmup 3 --min-runs "$RUNS")
    slow=(--warmup 0 --runs 3)
    if ((n >= 100000)); then slow=(--warmup 0 --runs 2); fi
    echo "bench: $n entries in $kb" >&2

    # The first run without an index, then warm the index for the rest.
    bench "$n-first" -N --warmup 0 --runs 3 --prepare "rm -rf $OTPIC_CACHE_DIR" "$o list"
    $o list >/dev/null

    bench "$n-show" "${runs[@]}" "$o show $show"
    bench "$n-related" "${runs[@]}" "$o related $show"
    # The graph commands: a second entry for path and compare (-i: no path is exit 1).
    other=$(sed -n '2p' "$WORK/ids-$n")
    bench "$n-path" "${runs[@]}" -i "$o path $show $other"
    bench "$n-graph" "${runs[@]}" "$o graph $show"
    bench "$n-compare" "${runs[@]}" "$o compare $show $other"
    bench "$n-graph-all" "${slow[@]}" "$o graph --format json"
    bench "$n-search" "${runs[@]}" "$o search $search"
    bench "$n-fuzzy" "${runs[@]}" -i "$o show $fuzzy"
    bench "$n-list" "${runs[@]}" "$o list"
    bench "$n-touched" -N --warmup 1 --min-runs 5 --prepare "touch $file" "$o show $show"
    # A file modified in the last 2 s is read again by every run (its times may
    # not show a second change yet): let the touched file settle before going on.
    sleep 2.1
    $o list >/dev/null
    bench "$n-check" "${slow[@]}" -N -i "$o check"
    # new and edit through the index: edit with an editor that changes nothing (the
    # check after it included); new with an id already taken (a note says so), into
    # the knowledge base, its file removed and the index settled before each run.
    bench "$n-edit" "${runs[@]}" "env EDITOR=true $o edit $show"
    # The entry's own file is kept aside and put back afterwards, so that the
    # benchmarks below still find it.
    cp -p "$file" "$WORK/$show.toml.kept"
    # (-N runs the preparation without a shell too: hence sh -c.)
    settle_new="rm -f $kb/$show.toml $file; sleep 2.1; $o list >/dev/null"
    bench "$n-new" -N --warmup 1 --runs 5 --prepare "sh -c '$settle_new'" "$o new --dir $kb --id $show Bench Entry"
    sh -c "$settle_new"
    mv "$WORK/$show.toml.kept" "$file"
    sleep 2.1
    $o list >/dev/null
    # Every timed run writes a fresh site. The previous one is moved aside, not
    # deleted, until the end: on ext4 without a journal (as on the machine in
    # BENCHMARKS.md), creating files within about 30 s of deleting many near them
    # costs several times more in the kernel (the inode allocator steps over
    # recently deleted inodes), which would time the deletion rather than otpic.
    mkdir -p "$WORK/trash"
    bench "$n-site" "${slow[@]}" -N \
        --prepare "sh -c 'mv $WORK/site-$n $WORK/trash/site-$n-\$\$ 2>/dev/null || true'" \
        "$o site $WORK/site-$n"

    bench "$n-cat" "${runs[@]}" "cat $file"
    bench "$n-rg-backlinks" "${runs[@]}" "rg -l -F $show $kb"
    bench "$n-rg-search" "${runs[@]}" "rg -i -l $search $kb"
    # fzf reads the ids from stdin: through a shell, which hyperfine subtracts.
    bench "$n-fzf" --warmup 3 --min-runs "$RUNS" -i "fzf --filter $fuzzy < $WORK/ids-$n"
    bench "$n-find" "${runs[@]}" "find $kb -name *.toml"
    # The floor of never being stale: one stat of every entry file (find, one thread).
    bench "$n-stat" "${runs[@]}" "find $kb -name *.toml -newer $file"
    bench "$n-python" "${slow[@]}" -N "python3 $ROOT/bench/parse_all.py $kb"
    # otpic browse: a scripted session in process (open, then update and draw per key).
    # (Twice: the first run may rebuild the index for its own build of the index code.)
    "$BROWSE" "$kb" "$show" "$search" >/dev/null
    "$BROWSE" "$kb" "$show" "$search" >"$RESULTS/$n-browse.txt"
    # The same script typed into the real binary on a pseudo-terminal: from each key
    # to the redraw that shows its result, and opening against show.
    $PYTE "$ROOT/bench/browse-session.py" "$OTPIC_BIN" "$kb" "$show" "$search" 3 >"$RESULTS/$n-browse-session.txt"
    # The freshness floor: what every run without a watcher must do, and only that.
    find "$kb" -name '*.toml' >"$WORK/files-$n"
    bench "$n-floor" "${runs[@]}" "$FLOOR $WORK/files-$n"

    # The same commands with the change watcher. The first run starts it, the
    # second keeps its token; from then on an unchanged knowledge base is not walked.
    export OTPIC_WATCH=1
    $o list >/dev/null
    sleep 1
    $o list >/dev/null
    $o list >/dev/null
    bench "$n-w-show" "${runs[@]}" "$o show $show"
    bench "$n-w-related" "${runs[@]}" "$o related $show"
    bench "$n-w-search" "${runs[@]}" "$o search $search"
    bench "$n-w-fuzzy" "${runs[@]}" -i "$o show $fuzzy"
    bench "$n-w-list" "${runs[@]}" "$o list"
    bench "$n-w-touched" -N --warmup 1 --min-runs 5 --prepare "touch $file" "$o show $show"
    sleep 2.1
    $o list >/dev/null
    $o list >/dev/null
    peak "$n-w-show" "$OTPIC_BIN" --entries "$kb" show "$show"
    "$OTPIC_BIN" watch stop --all >/dev/null
    unset OTPIC_WATCH

    for cmd in show related search list check path graph compare graph-all; do
        case $cmd in
            show | related | graph) args=("$cmd" "$show") ;;
            path | compare) args=("$cmd" "$show" "$other") ;;
            graph-all) args=(graph --format json) ;;
            search) args=(search "$search") ;;
            *) args=("$cmd") ;;
        esac
        peak "$n-$cmd" "$OTPIC_BIN" --entries "$kb" "${args[@]}"
    done
    peak "$n-fuzzy" "$OTPIC_BIN" --entries "$kb" show "$fuzzy"
    peak "$n-edit" env EDITOR=true "$OTPIC_BIN" --entries "$kb" edit "$show"
    peak "$n-site" "$OTPIC_BIN" --entries "$kb" site --force "$WORK/site-$n"
    rm -rf "$WORK/site-$n" "$WORK/trash"
    touch "$file"
    peak "$n-touched" "$OTPIC_BIN" --entries "$kb" show "$show"
    sleep 2.1
    rm -rf "$OTPIC_CACHE_DIR"
    peak "$n-first" "$OTPIC_BIN" --entries "$kb" list
    du -sk "$OTPIC_CACHE_DIR" | cut -f1 >"$RESULTS/$n-index.kb" || true
done

python3 "$ROOT/bench/report.py" "$RESULTS" $SIZES
for n in $SIZES; do
    echo
    echo "otpic browse, scripted session in process (examples/browse-timing.rs):"
    cat "$RESULTS/$n-browse.txt"
    echo
    echo "otpic browse, $n entries, scripted session on a pseudo-terminal (bench/browse-session.py):"
    cat "$RESULTS/$n-browse-session.txt"
done
