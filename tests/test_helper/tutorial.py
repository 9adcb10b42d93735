#!/usr/bin/env python3
"""tutorial.py - the reader's commands of man/powercouples-tutorial.7.

    tutorial.py extract PAGE DIR

reads the page's roff source and writes, for every command in it, a file
DIR/NNN.sh (NNN counting from 001 in page order) holding the command as
the reader types it, and prints one line per command:

    NNN<TAB>LINE<TAB>NEEDS<TAB>SUITE<TAB>KEY<TAB>EXACT

and the lines the page shows after it, what it prints, in DIR/NNN.out.
LINE is the command's line in the page; NEEDS, SUITE and KEY are "-" for a
command that runs on one machine with powercouples installed, else the
fields of the `.\\" needs: NEEDS: SUITE: KEY` comment just before it.
EXACT is "yes" when a `.\\" exact` comment just before the command says
that what the page shows is exactly what it prints on standard output,
else "no" (the output is an example: times, counts of a race, the CPUs).

A command is a line of an .EX/.EE block that starts with "$ ", continued on
the next line when it ends in a backslash (\\e).  Roff escapes are decoded
as a terminal shows them: \\- is "-", \\e a backslash, \\(aq "'", \\(dq '"',
\\(ti "~", \\(ha "^", \\& nothing.  Anything else is refused, and so is a
bare "-", "'", "`", "^" or "~" in a command (groff may print them as
typographic characters that a shell does not take), a "$ " line outside an
example block and a needs comment that no command follows.
"""

import os
import re
import sys

ESCAPES = {"\\-": "-", "\\e": "\\", "\\(aq": "'", "\\(dq": '"',
           "\\(ti": "~", "\\(ha": "^", "\\&": ""}
ESCAPE_RE = re.compile(r"\\(\(..|\[[^]]*\]|.)")
BARE = "-'`^~"
NEEDS_RE = re.compile(r'^\.\\" needs: ([a-z0-9-]+): (\S+): (.+)$')


class PageError(Exception):
    pass


def decode(text, where, strict=True):
    """The text of a roff line as it prints, or PageError; strict refuses
    the bare characters of BARE too (in commands, not in what they print)."""
    out = []
    pos = 0
    for m in list(ESCAPE_RE.finditer(text)) + [None]:
        plain = text[pos:m.start()] if m else text[pos:]
        for c in plain:
            if strict and c in BARE:
                raise PageError(f"{where}: a bare {c!r} in a command: "
                                "write it as a roff escape (\\-, \\(aq, \\(ti, \\(ha)")
        out.append(plain)
        if m is None:
            break
        esc = m.group(0)
        if esc not in ESCAPES:
            raise PageError(f"{where}: roff escape {esc!r} in an example")
        out.append(ESCAPES[esc])
        pos = m.end()
    return "".join(out)


def commands(path):
    """[(line, needs, suite, key, exact, text, shown)] of the page, in order."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = []
    in_example = False
    mark = None    # (line, needs, suite, key) waiting for its command
    exact = None   # the line of an exact comment waiting for its command
    shown = None   # the output lines of the last command, while in its block
    i = 0
    while i < len(lines):
        line = lines[i]
        where = f"{path}:{i + 1}"
        waiting = mark[0] if mark else exact
        if line.startswith("$ ") or line.startswith(".EE") or not line.startswith("."):
            if waiting and not line.startswith("$ "):
                raise PageError(f"{path}:{waiting}: a comment about a command, and no command after it")
        if line.startswith(".EX"):
            in_example = True
        elif line.startswith(".EE"):
            in_example = False
            shown = None
        elif line.startswith('.\\" needs:'):
            m = NEEDS_RE.match(line)
            if not m or not in_example:
                raise PageError(f"{where}: a needs comment must be "
                                '`.\\" needs: WHAT: SUITE: KEY`, in an example block')
            mark = (i + 1, m.group(1), m.group(2), m.group(3))   # as written: not printed
        elif line.rstrip() == '.\\" exact':
            if not in_example:
                raise PageError(f"{where}: an exact comment outside an example block")
            exact = i + 1
        elif line.startswith("$ "):
            if not in_example:
                raise PageError(f"{where}: a command outside .EX/.EE")
            first = i
            text = [decode(line[2:], where)]
            while text[-1].endswith("\\"):
                i += 1
                if i == len(lines) or lines[i].startswith("."):
                    raise PageError(f"{path}:{first + 1}: a command continued past its block")
                text.append(decode(lines[i], f"{path}:{i + 1}"))
            shown = []
            needs, suite, key = mark[1:] if mark else ("-", "-", "-")
            found.append((first + 1, needs, suite, key, "yes" if exact else "no",
                          "\n".join(text), shown))
            mark = exact = None
        elif in_example and not line.startswith("."):
            if shown is not None:
                shown.append(decode(line, where, strict=False))
        i += 1
    return found


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "extract":
        sys.exit("usage: tutorial.py extract PAGE DIR")
    page, outdir = sys.argv[2], sys.argv[3]
    try:
        found = commands(page)
    except PageError as e:
        sys.exit(f"tutorial.py: {e}")
    os.makedirs(outdir, exist_ok=True)
    for n, (line, needs, suite, key, exact, text, shown) in enumerate(found, 1):
        with open(os.path.join(outdir, f"{n:03d}.sh"), "w", encoding="utf-8") as f:
            f.write(text + "\n")
        with open(os.path.join(outdir, f"{n:03d}.out"), "w", encoding="utf-8") as f:
            f.write("".join(s + "\n" for s in shown))
        print(f"{n:03d}\t{line}\t{needs}\t{suite}\t{key}\t{exact}")


if __name__ == "__main__":
    main()
