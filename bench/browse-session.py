#!/usr/bin/env python3
"""Times a scripted `otpic browse` session end to end, in a real pseudo-terminal.

bench/browse-session.py OTPIC KB ID WORD [ROUNDS]

Runs `OTPIC --entries KB browse ID` on a 120x40 pseudo-terminal and reads what it
draws through pyte (a terminal emulator), so the times include the event loop,
the matcher thread and writing the screen. Prints:

- opening: from starting the process to the screen showing entry ID, against
  `OTPIC --entries KB show ID` run to its end (the median of ROUNDS each);
- for each key of a fixed script (scroll, follow a link, back, forward, jump with
  `/` and the first four letters of ID, search with `s` and WORD, random), over
  ROUNDS rounds, the median time from writing the key to the first redraw after
  it ("answered") and to the redraw that shows its result: for a letter typed in
  a box, the screen showing the query as typed with its hits (no "matching…").

Keys are typed 30 ms apart, a fast typist's pace, each once its result shows.
"""

import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import time

import pyte

COLS, ROWS = 120, 40
FRAME_END = b"\x1b[?25l"  # ratatui hides the cursor at the end of every frame
PATIENCE = 60.0


class Session:
    def __init__(self, argv):
        self.start = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.environ["TERM"] = "xterm-256color"
            os.environ.pop("NO_COLOR", None)
            os.execv(argv[0], argv)
        self.pid, self.fd = pid, fd
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.waiting = "the first screen"
        self.unparsed = []

    def text(self):
        # Output is parsed only when a screen is looked at, so that pyte's own
        # time does not delay reading (and timing) what follows.
        if self.unparsed:
            self.stream.feed(b"".join(self.unparsed))
            self.unparsed = []
        return "\n".join(self.screen.display)

    def read_until(self, done):
        """Reads output until done(screen, whether a frame ended) is true;
        returns when the output that made it true was read, and when the first
        frame ended."""
        first = None
        deadline = time.monotonic() + PATIENCE
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                sys.exit(f"browse-session: timed out after {self.waiting}; the screen shows:\n{self.text()}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                sys.exit(f"browse-session: otpic ended; the screen shows:\n{self.text()}")
            at = time.monotonic()
            self.unparsed.append(data)
            ended = FRAME_END in data
            if ended and first is None:
                first = at
            if done(self.text, ended):
                return at, first if first is not None else at

    def drain(self, quiet=0.03):
        """Reads whatever comes until the output has been quiet for `quiet` s."""
        while select.select([self.fd], [], [], quiet)[0]:
            self.unparsed.append(os.read(self.fd, 1 << 16))

    def key(self, name, data, done):
        self.drain()
        self.waiting = name
        sent = time.monotonic()
        os.write(self.fd, data)
        result, first = self.read_until(done)
        return first - sent, result - sent

    def close(self):
        os.write(self.fd, b"q")
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def any_frame(_screen, ended):
    return ended


def shows(*texts, absent=()):
    """A frame has ended and the screen (parsed only then) shows `texts` and none
    of `absent`."""

    def done(screen, ended):
        if not ended:
            return False
        text = screen()
        return all(t in text for t in texts) and not any(a in text for a in absent)

    return done


def script(show, word):
    keys = [
        ("j", b"j", any_frame),
        ("Space", b" ", any_frame),
        ("G", b"G", any_frame),
        ("Tab", b"\t", any_frame),
        ("j", b"j", any_frame),
        ("Enter (link)", b"\r", any_frame),
        ("Backspace", b"\x7f", any_frame),
        ("l", b"l", any_frame),
        ("h", b"h", any_frame),
        ("/", b"/", shows("Jump to")),
    ]
    query = ""
    for c in show[:4]:
        query += c
        keys.append((f"jump: {c}", c.encode(), shows(f"> {query}", absent=("matching…",))))
    keys.append(("Enter (jump)", b"\r", shows(absent=("Jump to",))))
    keys.append(("s", b"s", shows("Search")))
    query = ""
    for c in word:
        query += c
        keys.append((f"search: {c}", c.encode(), shows(f"> {query}", absent=("matching…",))))
    keys.append(("Enter (search)", b"\r", shows(absent=("Search ",))))
    keys.append(("r", b"r", any_frame))
    return keys


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__.split("\n\n")[1])
    otpic, kb, show, word = sys.argv[1:5]
    rounds = int(sys.argv[5]) if len(sys.argv) == 6 else 5
    argv = [otpic, "--entries", kb]

    opens, shows_ = [], []
    for _ in range(rounds):
        t = time.monotonic()
        subprocess.run(argv + ["show", show], stdout=subprocess.DEVNULL, check=True)
        shows_.append(time.monotonic() - t)
    session = None
    for n in range(rounds):
        s = Session(argv + ["browse", show])
        at, _ = s.read_until(shows(f"— {show}"))
        opens.append(at - s.start)
        if n < rounds - 1:
            s.drain()
            if s.close() != 0:
                sys.exit("browse-session: otpic browse did not quit with status 0")
        else:
            session = s
    o, sh = statistics.median(opens), statistics.median(shows_)
    print(
        f"open: browse shows the entry in {ms(o)}, show prints it in {ms(sh)} "
        f"(browse/show {o / sh:.2f}x; medians of {rounds})"
    )

    keys = script(show, word)
    times = [[] for _ in keys]
    for _ in range(rounds):
        for n, (name, data, done) in enumerate(keys):
            times[n].append(session.key(name, data, done))
    session.drain()
    status = session.close()
    if status != 0:
        sys.exit(f"browse-session: otpic browse exited {status}")

    print(f"{'key':<16} {'answered med':>13} {'result med':>11} {'result max':>11}")
    groups = {}
    for (name, _, _), t in zip(keys, times):
        first = statistics.median(x[0] for x in t)
        result = statistics.median(x[1] for x in t)
        worst = max(x[1] for x in t)
        print(f"{name:<16} {ms(first):>13} {ms(result):>11} {ms(worst):>11}")
        group = name.split(":")[0] if ":" in name else "other keys"
        groups.setdefault(group, []).extend(t)
    for group, t in groups.items():
        print(
            f"{group}: answered median {ms(statistics.median(x[0] for x in t))}, "
            f"result median {ms(statistics.median(x[1] for x in t))}, "
            f"answered within 16 ms {sum(x[0] <= 0.016 for x in t)}/{len(t)}, "
            f"result within 16 ms {sum(x[1] <= 0.016 for x in t)}/{len(t)}"
        )


if __name__ == "__main__":
    main()
