#!/usr/bin/env python3
"""Rewrites an exported regex list (one RE2 regex per line) into a form ugrep's own engine takes.

usage: ugrep_list.py IN OUT

ugrep 3.11 rejects an anchor inside an alternation, `(?:^|[^\\/\\w])80070005`, with "empty expression". For
matching *lines* the rewrite below is exact: in each top-level alternative that starts with `(?:^|C)`, the group is
distributed over the rest of the alternative, `(?:^|C)R` -> `^R|CR`. Nothing else is changed, so both tools get
the same regexes otherwise. (ugrep -P takes the list unchanged but runs at ~1 MB/s on it.)
"""
import sys


def split_top(s):
    """Splits a regex at its top-level '|', respecting groups, classes and escapes."""
    parts, depth, cls, start, i = [], 0, False, 0, 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if cls:
            if c == "]":
                cls = False
        elif c == "[":
            cls = True
            if s[i + 1:i + 2] == "^":
                i += 1
            if s[i + 1:i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(s[start:i])
            start = i + 1
        i += 1
    parts.append(s[start:])
    return parts


def group_end(s, i):
    """Index just past the group that opens at s[i] == '('."""
    depth, cls = 0, False
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if cls:
            if c == "]":
                cls = False
        elif c == "[":
            cls = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(s)


def rewrite(regex):
    flags = ""
    if regex.startswith("(?i)"):
        flags, regex = "(?i)", regex[4:]
    out = []
    for alt in split_top(regex):
        if alt.startswith("(?:^|"):
            end = group_end(alt, 0)
            cls, rest = alt[5:end - 1], alt[end:]
            out += ["^" + rest, cls + rest]
        else:
            out.append(alt)
    return flags + "|".join(out)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if l]
    with open(dst, "w", encoding="utf-8") as f:
        for l in lines:
            f.write(rewrite(l) + "\n")


if __name__ == "__main__":
    main()
