#!/usr/bin/env python3
"""Times commands in interleaved rounds: medians of wall and CPU time, and ratios.

bench/interleaved.py ROUNDS NAME=COMMAND... runs every command once per round, in
a new random order each round (two rounds of warm-up first), and prints each
command's median wall-clock and CPU (user + system) time and its ratio to the
first command's. On a shared machine whose load moves from one second to the
next, this keeps the comparison within the same moments, where hyperfine times
one command's runs after another's. Output goes to /dev/null; COMMAND is split
as a shell would, without a shell.
"""
import os
import random
import shlex
import statistics
import sys
import time


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        print("usage: bench/interleaved.py ROUNDS NAME=COMMAND...", file=sys.stderr)
        return 2
    rounds = int(sys.argv[1])
    cmds = [arg.split("=", 1) for arg in sys.argv[2:]]
    wall = {name: [] for name, _ in cmds}
    cpu = {name: [] for name, _ in cmds}
    devnull = os.open(os.devnull, os.O_WRONLY)
    for r in range(rounds + 2):
        order = list(cmds)
        random.shuffle(order)
        for name, command in order:
            argv = shlex.split(command)
            start = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                try:
                    os.execvp(argv[0], argv)
                finally:
                    os._exit(127)
            _, status, usage = os.wait4(pid, 0)
            elapsed = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) == 127:
                print(f"interleaved: {name}: cannot run {argv[0]}", file=sys.stderr)
                return 1
            if r >= 2:
                wall[name].append(elapsed)
                cpu[name].append(usage.ru_utime + usage.ru_stime)
    first = cmds[0][0]
    w0, c0 = statistics.median(wall[first]), statistics.median(cpu[first])
    for name, _ in cmds:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"{name:16} wall {w * 1000:8.1f} ms {w / w0:5.2f}x   cpu {c * 1000:7.1f} ms {c / c0:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
