#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and answers its prompts, as a person at a terminal would.

usage: pty_drive.py CWD STEPS_JSON CMD [ARGS...]
STEPS_JSON is a list of {"expect": regex, "send": text}: wait until the screen output (ANSI codes
stripped) matches, then type the text. Prints the whole output and exits with the command's code.
"""
import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TIMEOUT = 30.0


def read_some(fd, wait):
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return ""
    try:
        return os.read(fd, 65536).decode("utf-8", "replace")
    except OSError:  # EIO: the child closed the terminal
        return None


def main():
    cwd, steps, cmd = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
    pid, fd = pty.fork()
    if pid == 0:
        # A common terminal size, so layout assertions (what fits in 80 columns) are stable.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.chdir(cwd)
        os.environ.pop("CI", None)
        os.execvp(cmd[0], cmd)

    output, seen = "", 0
    for step in steps:
        deadline = time.time() + TIMEOUT
        while not re.search(step["expect"], ANSI.sub("", output[seen:])):
            chunk = read_some(fd, 0.1)
            if chunk is None or time.time() > deadline:
                sys.stdout.write(output)
                sys.stderr.write(f"pty_drive: never saw {step['expect']!r}\n")
                os.kill(pid, 9)
                sys.exit(99)
            output += chunk
        seen = len(output)
        time.sleep(0.05)  # let the prompt finish drawing before typing
        os.write(fd, step["send"].encode())

    while True:
        chunk = read_some(fd, 1.0)
        if chunk is None:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(ANSI.sub("", output))
    code = os.waitstatus_to_exitcode(status)
    sys.exit(128 - code if code < 0 else code)


main()
