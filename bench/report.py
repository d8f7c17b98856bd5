"""Prints the tables of bench/run.sh: medians, ratios against peers, peak memory, targets.

Usage: python3 bench/report.py RESULTS_DIR SIZE...
"""
import json
import os
import sys

results, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]


def median(name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)["results"][0]["median"]


def rss(name):
    path = os.path.join(results, name + ".rss")
    try:
        with open(path) as f:
            return int(f.read().split()[-1]) / 1024
    except (OSError, ValueError, IndexError):
        return None


def ms(seconds):
    if seconds is None:
        return "—"
    value = seconds * 1000
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}×"


def mb(value):
    return "—" if value is None else f"{value:.1f} MB"


ROWS = [
    ("show", "show ID (with referenced-by)", "rg-backlinks", "rg -l -F ID"),
    ("related", "related ID", "rg-backlinks", "rg -l -F ID"),
    ("path", "path ID OTHER", "show", "otpic show ID"),
    ("graph", "graph ID (neighbourhood)", "show", "otpic show ID"),
    ("compare", "compare ID OTHER", "show", "otpic show ID"),
    ("graph-all", "graph --format json (whole)", "python", "python tomllib, every file"),
    ("search", "search WORD", "rg-search", "rg -i -l WORD"),
    ("fuzzy", "show MISSPELLING (did you mean)", "fzf", "fzf --filter over ids"),
    ("list", "list", "find", "find DIR -name '*.toml'"),
    ("check", "check", "python", "python tomllib, every file"),
    ("edit", "edit ID (EDITOR=true; the check after it)", "show", "otpic show ID"),
    ("new", "new TITLE --id ID (a taken id: noted)", "show", "otpic show ID"),
    ("touched", "show ID, first run after touching a file", "python", "python tomllib, every file"),
    ("first", "list, first run without an index", "python", "python tomllib, every file"),
    ("site", "site OUT_DIR (a page per entry, kind, tag)", "python", "python tomllib, every file"),
]

print("### Embedded knowledge base\n")
print("| command | median | peak memory |")
print("| --- | --- | --- |")
print(f"| otpic show collective security | {ms(median('embedded-show'))} | {mb(rss('embedded-show'))} |")
print(f"| cat one entry file (the floor) | {ms(median('embedded-cat'))} | |")
print(f"| tldr --render one page | {ms(median('embedded-tldr'))} | |")
print()
for n in sizes:
    print(f"### {n:,} entries\n")
    print("| otpic command | median | peak memory | peer | peer median | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for key, label, peer, peer_label in ROWS:
        a, b = median(f"{n}-{key}"), median(f"{n}-{peer}")
        print(
            f"| {label} | {ms(a)} | {mb(rss(f'{n}-{key}'))} | {peer_label} | {ms(b)} | {fmt_ratio(ratio(a, b))} |"
        )
    print(f"| (cat one entry file) | | | cat | {ms(median(f'{n}-cat'))} | |")
    print(f"| (stat every entry file) | | | find -newer | {ms(median(f'{n}-stat'))} | |")
    floor = median(f"{n}-floor")
    if floor is not None or median(f"{n}-w-show") is not None:
        print(f"\nThe freshness floor (stat-floor: a stat of every entry file, as otpic does it): {ms(floor)}\n")
        print("| otpic command | default | vs floor | with watcher | watcher vs default |")
        print("| --- | --- | --- | --- | --- |")
        for key, label, _, _ in ROWS[:5] + [ROWS[6]]:
            a, w = median(f"{n}-{key}"), median(f"{n}-w-{key}")
            print(
                f"| {label} | {ms(a)} | {fmt_ratio(ratio(a, floor))} | {ms(w)} | {fmt_ratio(ratio(w, a))} |"
            )
    try:
        with open(os.path.join(results, f"{n}-index.kb")) as f:
            print(f"\nIndex size: {int(f.read()) / 1024:.1f} MB")
    except (OSError, ValueError):
        pass
    print()

big, small = max(sizes), min(sizes)
targets = []


def target(text, value, limit, unit="×"):
    if value is None:
        targets.append((text, "—", f"≤ {limit}{unit}", "not measured"))
    else:
        shown = f"{value:.2f}{unit}" if unit == "×" else f"{value:.1f} {unit}"
        targets.append((text, shown, f"≤ {limit}{'' if unit == '×' else ' '}{unit}", "met" if value <= limit else "MISSED"))


target("embedded show vs tldr --render", ratio(median("embedded-show"), median("embedded-tldr")), 1)
for key in ["show", "related", "fuzzy"]:
    target(f"{key} at {big:,} vs at {small:,}", ratio(median(f"{big}-{key}"), median(f"{small}-{key}")), 3)
    target(f"{key} at {big:,} vs rg backlink scan", ratio(median(f"{big}-{key}"), median(f"{big}-rg-backlinks")), 0.1)
for key in ["path", "graph", "compare"]:
    target(f"{key} at {big:,} vs show", ratio(median(f"{big}-{key}"), median(f"{big}-show")), 1.5)
for key in ["edit", "new"]:
    target(f"{key} at {big:,} vs show", ratio(median(f"{big}-{key}"), median(f"{big}-show")), 2)
target(f"whole graph at {big:,} vs python", ratio(median(f"{big}-graph-all"), median(f"{big}-python")), 0.2)
target(f"search at {big:,} vs rg -i -l", ratio(median(f"{big}-search"), median(f"{big}-rg-search")), 0.1)
target(f"did you mean at {big:,} vs fzf --filter", ratio(median(f"{big}-fuzzy"), median(f"{big}-fzf")), 1)
for key in ["show", "related", "fuzzy"]:
    target(f"with watcher: {key} at {big:,} vs at {small:,}", ratio(median(f"{big}-w-{key}"), median(f"{small}-w-{key}")), 3)
for n in sizes:
    target(f"with watcher: did you mean at {n:,} vs fzf --filter", ratio(median(f"{n}-w-fuzzy"), median(f"{n}-fzf")), 1)
target(f"with watcher: search at {big:,} vs rg -i -l", ratio(median(f"{big}-w-search"), median(f"{big}-rg-search")), 0.1)
# Issue 14: every command without the watcher, at 10,000 entries and more.
for n in [n for n in sizes if n >= 10000]:
    for key in ["show", "related", "path", "graph", "compare", "search", "fuzzy", "list"]:
        target(f"default: {key} at {n:,} vs the freshness floor", ratio(median(f"{n}-{key}"), median(f"{n}-floor")), 1.25)
target(f"first run after a touch at {big:,} vs python", ratio(median(f"{big}-touched"), median(f"{big}-python")), 0.1)
target(f"check at {big:,} vs python", ratio(median(f"{big}-check"), median(f"{big}-python")), 0.1)
for label, keys in [
    ("show, related, search, fuzzy, list", ["show", "related", "search", "fuzzy", "list"]),
    ("path, graph, compare, whole graph", ["path", "graph", "compare", "graph-all"]),
    ("first run after a touch", ["touched"]),
    ("first run without an index", ["first"]),
    ("check", ["check"]),
]:
    peaks = [p for p in (rss(f"{big}-{k}") for k in keys) if p is not None]
    target(f"peak memory at {big:,}: {label}", max(peaks) if peaks else None, 100, "MB")

print("### Targets\n")
print("| target | measured | limit | |")
print("| --- | --- | --- | --- |")
for row in targets:
    print("| " + " | ".join(row) + " |")
