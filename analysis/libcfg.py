"""A small parser for the subset of libconfig syntax found in a run file's `config` attribute.

Supported: settings `name = value;` or `name : value;` (the `;`/`,` terminator is optional),
groups `{ ... }` (-> dict), lists `( ... )` and arrays `[ ... ]` (-> list), strings with C escapes
(adjacent strings are concatenated), integers (decimal or hex, optional L/LL suffix), floats,
booleans (true/false, any case) and comments (`#`, `//`, `/* */`). `@include` is not supported.
"""
import re

_TOKEN = re.compile(r"""
    (?P<ws>\s+|\#[^\n]*|//[^\n]*|/\*.*?\*/)
  | (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<float>[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)|[-+]?(?:\d+\.\d*|\.\d+))
  | (?P<hex>[-+]?0[xX][0-9a-fA-F]+(?:LL|L)?)
  | (?P<int>[-+]?\d+(?:LL|L)?)
  | (?P<bool>(?i:true|false)\b)
  | (?P<name>[A-Za-z*][-A-Za-z0-9_*]*)
  | (?P<punct>[=:;,{}()\[\]])
""", re.VERBOSE | re.DOTALL)

_ESC = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "\\": "\\", '"': '"'}


class ConfigError(ValueError):
    pass


def _unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x" and i + 3 < len(s) + 1:
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append(_ESC.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _tokenize(text):
    pos, toks = 0, []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            line = text.count("\n", 0, pos) + 1
            raise ConfigError(f"config line {line}: unexpected {text[pos:pos + 20]!r}")
        kind = m.lastgroup
        if kind != "ws":
            toks.append((kind, m.group(), text.count("\n", 0, pos) + 1))
        pos = m.end()
    return toks


class _Parser:
    def __init__(self, text):
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None, -1)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            want = value or "a token"
            raise ConfigError(f"config line {tok[2]}: expected {want!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def settings(self, end):
        out = {}
        while True:
            kind, val, line = self.peek()
            if kind is None and end is None:
                return out
            if val == end and kind == "punct":
                return out
            if kind != "name":
                raise ConfigError(f"config line {line}: expected a setting name, got {val!r}")
            self.i += 1
            sep = self.take()
            if sep[1] not in ("=", ":"):
                raise ConfigError(f"config line {sep[2]}: expected '=' after {val!r}")
            out[val] = self.value()
            if self.peek()[1] in (";", ","):
                self.i += 1

    def value(self):
        kind, val, line = self.take()
        if kind == "str":
            parts = [_unescape(val[1:-1])]
            while self.peek()[0] == "str":
                parts.append(_unescape(self.take()[1][1:-1]))
            return "".join(parts)
        if kind == "int":
            return int(val.rstrip("L"))
        if kind == "hex":
            return int(val.rstrip("L"), 16)
        if kind == "float":
            return float(val)
        if kind == "bool":
            return val.lower() == "true"
        if val == "{":
            out = self.settings("}")
            self.take("}")
            return out
        if val in ("(", "["):
            close = ")" if val == "(" else "]"
            items = []
            while self.peek()[1] != close:
                items.append(self.value())
                if self.peek()[1] == ",":
                    self.i += 1
                elif self.peek()[1] != close:
                    k = self.peek()
                    raise ConfigError(f"config line {k[2]}: expected ',' or {close!r}, got {k[1]!r}")
            self.take(close)
            return items
        raise ConfigError(f"config line {line}: unexpected {val!r}")


def parse(text):
    """Parses libconfig text into nested dicts and lists."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return _Parser(text).settings(None)


def find_key(cfg, key):
    """First value of a setting named `key` anywhere in the parsed config (depth first), or None."""
    if isinstance(cfg, dict):
        if key in cfg:
            return cfg[key]
        items = cfg.values()
    elif isinstance(cfg, list):
        items = cfg
    else:
        return None
    for v in items:
        r = find_key(v, key)
        if r is not None:
            return r
    return None
