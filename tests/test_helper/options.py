#!/usr/bin/env python3
"""The options a program documents, one per line, sorted, as SHORT/LONG
("-o/--output", "/--min", "-z/"), for tests/manpages.bats to compare.

  options.py help < HELP-TEXT     the options of a --help text: its lines
                                  that start with blanks and an option
  options.py man PAGE [BASE]      the tags (.TP) of PAGE's OPTIONS section;
                                  when that section says the options are
                                  BASE(1)'s (pc-threads, pc-mpirun), the
                                  options of BASE it lists count too
"""
import re
import sys

OPT = re.compile(r'(?<![\w-])(-[A-Za-z0-9](?![\w-])|--[a-z][a-z0-9-]*)')


def pairs(tokens):
    """-o, --output on one line is one option"""
    short = [t for t in tokens if not t.startswith('--')]
    long_ = [t for t in tokens if t.startswith('--')]
    return (short[0] if short else '') + '/' + (long_[0] if long_ else '')


def from_help(text):
    found = set()
    for line in text.splitlines():
        m = re.match(r'^ {2,6}(-[A-Za-z0-9], )?(--[a-z][a-z0-9-]*)?', line)
        if m and (m.group(1) or m.group(2)):
            found.add(pairs(OPT.findall(m.group(0))))
    return found


def plain(roff):
    """the text of a roff line: no font changes, \\- as -"""
    roff = re.sub(r'\\f(\[[^]]*\]|\(..|.)', '', roff).replace('\\-', '-')
    return re.sub(r'^\.[A-Z]+\s*', '', roff).replace('"', '')


def options_section(path):
    lines, on = [], False
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line.startswith('.SH'):
            on = line.split(None, 1)[1:] == ['OPTIONS']
            continue
        if on:
            lines.append(line)
    return lines


def from_man(path, base=None):
    lines = options_section(path)
    found = set()
    for prev, line in zip([''] + lines, lines):
        if prev == '.TP':
            tokens = OPT.findall(plain(line))
            if tokens:
                found.add(pairs(tokens))
    text = ' '.join(plain(line) for line in lines)
    if base and re.search(r'pc-score \(1\)\'s', ' '.join(lines).replace('.BR ', '')):
        mentioned = set(OPT.findall(text))
        for pair in from_man(base):
            if set(pair.split('/')) & mentioned:
                found.add(pair)
    return found


if __name__ == '__main__':
    if sys.argv[1] == 'help':
        got = from_help(sys.stdin.read())
    else:
        got = from_man(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    for pair in sorted(got):
        print(pair)
