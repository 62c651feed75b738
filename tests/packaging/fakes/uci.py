#!/usr/bin/env python3
"""A small, faithful stand-in for OpenWrt's `uci` (Debian has none), for the packaging tests.

Config files live in $UCI_CONFIG_DIR (real uci: /etc/config) in uci's own file format. As with
real uci, changes are staged (here in $UCI_CONFIG_DIR/.staged/) and visible to `get`, but reach
the config file only on `commit`. Supported: [-q] get/set/add_list/del_list/delete/commit/
export/show, with extended section names (@type[index]). Errors print uci's message and exit 1.
"""
import os
import re
import shlex
import sys

CONFIG_DIR = os.environ.get("UCI_CONFIG_DIR", "")
STAGED_DIR = os.path.join(CONFIG_DIR, ".staged")
QUIET = False


def fail(message="Entry not found"):
    if not QUIET:
        print("uci: " + message, file=sys.stderr)
    sys.exit(1)


class Package:
    def __init__(self):
        self.sections = []  # [name, type, anonymous, [(option, value-or-list)]]
        self.anon = 0

    def find(self, ref):
        m = re.fullmatch(r"@([A-Za-z0-9_-]+)\[(-?\d+)\]", ref)
        if m:
            of_type = [s for s in self.sections if s[1] == m.group(1)]
            i = int(m.group(2))
            try:
                return of_type[i]
            except IndexError:
                return None
        for s in self.sections:
            if s[0] == ref:
                return s
        return None

    def add_section(self, stype, name=None):
        if name is None:
            self.anon += 1
            sec = ["cfg%06x" % self.anon, stype, True, []]
        else:
            sec = [name, stype, False, []]
        self.sections.append(sec)
        return sec


def option_index(sec, name):
    for i, (key, _) in enumerate(sec[3]):
        if key == name:
            return i
    return -1


def parse(text):
    pkg = Package()
    sec = None
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if not words or words[0] == "package":
            continue
        if words[0] == "config":
            sec = pkg.add_section(words[1], words[2] if len(words) > 2 else None)
        elif words[0] == "option":
            value = words[2] if len(words) > 2 else ""
            i = option_index(sec, words[1])
            if i >= 0:
                sec[3][i] = (words[1], value)
            else:
                sec[3].append((words[1], value))
        elif words[0] == "list":
            i = option_index(sec, words[1])
            if i >= 0 and isinstance(sec[3][i][1], list):
                sec[3][i][1].append(words[2])
            else:
                sec[3].append((words[1], [words[2]]))
    return pkg


def quote(value):
    return "'" + value.replace("'", "'\\''") + "'"


def render(pkg):
    # As uci writes files: each section after an empty line, options indented by a tab.
    out = []
    for name, stype, anonymous, options in pkg.sections:
        out.append("\nconfig " + stype + ("" if anonymous else " " + quote(name)) + "\n")
        for key, value in options:
            if isinstance(value, list):
                out.extend("\tlist %s %s\n" % (key, quote(v)) for v in value)
            else:
                out.append("\toption %s %s\n" % (key, quote(value)))
    return "".join(out) + "\n"


def path_of(name, staged):
    return os.path.join(STAGED_DIR if staged else CONFIG_DIR, name)


def load(name):
    for staged in (True, False):
        p = path_of(name, staged)
        if os.path.exists(p):
            with open(p) as f:
                return parse(f.read())
    fail()


def save_staged(name, pkg):
    os.makedirs(STAGED_DIR, exist_ok=True)
    with open(path_of(name, True), "w") as f:
        f.write(render(pkg))


def split_ref(ref):
    """pkg.section[.option][=value] -> (pkg, section, option, value)"""
    value = None
    if "=" in ref:
        ref, value = ref.split("=", 1)
    parts = ref.split(".")
    if len(parts) < 2 or len(parts) > 3:
        fail("Invalid argument")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None, value


def main(argv):
    global QUIET
    while argv and argv[0].startswith("-"):
        if argv[0] == "-q":
            QUIET = True
        argv = argv[1:]
    if not argv:
        fail("Invalid argument")
    cmd, args = argv[0], argv[1:]

    if cmd == "commit":
        names = args
        if not names and os.path.isdir(STAGED_DIR):
            names = os.listdir(STAGED_DIR)
        for name in names:
            staged = path_of(name, True)
            if os.path.exists(staged):
                os.replace(staged, path_of(name, False))
        return
    if cmd in ("export", "show"):
        pkg = load(args[0])
        if cmd == "export":
            sys.stdout.write("package %s\n%s" % (args[0], render(pkg)))
        else:
            for name, stype, _, options in pkg.sections:
                print("%s.%s=%s" % (args[0], name, stype))
                for key, value in options:
                    shown = " ".join(quote(v) for v in value) if isinstance(value, list) else quote(value)
                    print("%s.%s.%s=%s" % (args[0], name, key, shown))
        return

    pname, sref, opt, value = split_ref(args[0])
    pkg = load(pname)
    sec = pkg.find(sref)
    if cmd == "get":
        if sec is None:
            fail()
        if opt is None:
            print(sec[1])
            return
        i = option_index(sec, opt)
        if i < 0:
            fail()
        v = sec[3][i][1]
        print(" ".join(v) if isinstance(v, list) else v)
        return
    if cmd == "set":
        if value is None:
            fail("Invalid argument")
        if opt is None:
            if sec is None:
                pkg.add_section(value, sref)
            else:
                sec[1] = value
        else:
            if sec is None:
                fail()
            i = option_index(sec, opt)
            if i >= 0:
                sec[3][i] = (opt, value)
            else:
                sec[3].append((opt, value))
    elif cmd in ("add_list", "del_list"):
        if sec is None or opt is None or value is None:
            fail()
        i = option_index(sec, opt)
        if cmd == "add_list":
            if i < 0:
                sec[3].append((opt, [value]))
            elif isinstance(sec[3][i][1], list):
                sec[3][i][1].append(value)
            else:
                sec[3][i] = (opt, [sec[3][i][1], value])
        elif i >= 0 and isinstance(sec[3][i][1], list):
            left = [v for v in sec[3][i][1] if v != value]
            if left:
                sec[3][i] = (opt, left)
            else:
                del sec[3][i]
    elif cmd == "delete":
        if sec is None:
            fail()
        if opt is None:
            pkg.sections.remove(sec)
        else:
            i = option_index(sec, opt)
            if i < 0:
                fail()
            del sec[3][i]
    else:
        fail("Invalid argument")
    save_staged(pname, pkg)


if __name__ == "__main__":
    if not CONFIG_DIR:
        print("uci (fake): set UCI_CONFIG_DIR", file=sys.stderr)
        sys.exit(1)
    main(sys.argv[1:])
