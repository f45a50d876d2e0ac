"""The run file's `config` attribute (libconfig text) as plain dicts and lists, parsed by Debian's
python3-libconf. This module only adapts libconf's result (AttrDict, tuples for `( ... )` lists)
to dicts and lists, and keeps the names analysis.validate imports (parse, ConfigError, find_key)."""
import libconf


class ConfigError(ValueError):
    """Text that libconf cannot parse (the message names the row and column)."""


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def parse(text):
    """Parses libconfig text into nested dicts and lists (groups: dict, lists and arrays: list)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        return _plain(libconf.loads(text))
    except libconf.ConfigParseError as e:
        raise ConfigError(f"config: {e}") from None


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
