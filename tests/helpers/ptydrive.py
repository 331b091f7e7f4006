#!/usr/bin/env python3
# (Not named pty.py: the script's folder comes first on sys.path, and it would import itself.)
"""Drives a command in a real pseudo-terminal, as a person at a keyboard would.

    python3 ptydrive.py STEPS_JSON -- COMMAND [ARGS...]

STEPS_JSON is a JSON list of steps, run in order:
    {"expect": "text"}                wait until the screen shows text (after the previous match)
    {"send": "keys"}                  type keys: text, "\\r" Enter, "\\u001b[B" down, " " space,
                                      "\\u0003" Ctrl-C, "\\u007f" Backspace
    {"expect": "text", "send": "keys"}  both, in that order
Each expect waits up to `timeout` seconds (default 15). Colour and cursor codes are removed
before matching. The command runs in the current directory with the current environment,
on a terminal of 100 columns by 30 rows.

Prints one JSON object: {"code": exit code (128+N when killed by signal N), "transcript":
the screen text without escape codes, "raw": the bytes as text, "error": null or what failed}.
Only the standard library: pty, os, select, json.
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>78]")


def strip(text):
    return ANSI.sub("", text).replace("\r", "")


def main():
    sep = sys.argv.index("--")
    steps = json.loads(sys.argv[1])
    command = sys.argv[sep + 1:]

    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    raw = bytearray()
    matched = 0  # how much of the stripped transcript earlier expects consumed
    error = None
    eof = False

    def pump(timeout):
        nonlocal eof
        if eof:
            return
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            chunk = b""
        if not chunk:
            eof = True
        raw.extend(chunk)

    def screen():
        return strip(raw.decode("utf-8", "replace"))

    for i, step in enumerate(steps):
        if "expect" in step:
            want = step["expect"]
            deadline = time.monotonic() + step.get("timeout", 15)
            while True:
                at = screen().find(want, matched)
                if at >= 0:
                    matched = at + len(want)
                    break
                if eof or time.monotonic() > deadline:
                    error = "step %d: %r not shown" % (i, want)
                    break
                pump(0.05)
            if error:
                break
        if "send" in step:
            # Let the prompt finish drawing and start reading before typing.
            time.sleep(step.get("delay", 0.15))
            os.write(fd, step["send"].encode("utf-8"))

    deadline = time.monotonic() + 15
    while not eof and time.monotonic() < deadline:
        pump(0.1)
    if not eof:
        os.kill(pid, signal.SIGKILL)
        error = error or "the command did not finish"
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        code = 128 - code
    os.close(fd)
    text = raw.decode("utf-8", "replace")
    print(json.dumps({"code": code, "transcript": strip(text), "raw": text, "error": error}, ensure_ascii=False))


if __name__ == "__main__":
    main()
