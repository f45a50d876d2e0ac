"""docs/model.md documents every configuration key, and its parameter tables are up to date.

The keys of config/defaults.cfg are read here independently of docs/gen_params.py (a small
parser of the file's documented format), so a bug in the generator cannot hide a missing key.
If a test fails after a default changed: regenerate config/defaults.cfg
(`make build/tests/test_config && build/tests/test_config --write-defaults`), then `/usr/bin/python3 docs/gen_params.py`.
"""
import importlib.util
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULTS = os.path.join(ROOT, "config", "defaults.cfg")
MODEL_MD = os.path.join(ROOT, "docs", "model.md")
GEN = os.path.join(ROOT, "docs", "gen_params.py")


def defaults_keys():
    """Keys of config/defaults.cfg: scenario keys as dotted paths (assignments, tracked through
    `group = {` ... `};`, plus the derived `# n = ...:` comment of sectors), policy keys as
    `policies.<key>` from the `#   key: ...` lines of its policies comment block."""
    keys, group, in_pol = set(), "", False
    with open(DEFAULTS, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# ---- policies:"):
                in_pol = True
                continue
            if in_pol:
                m = re.match(r"^#   ([A-Za-z_]\w*): ", line)
                if m:
                    keys.add("policies." + m.group(1))
                continue
            m = re.match(r"^\s*([A-Za-z_]\w*)\s*=\s*\{\s*$", line)
            if m:
                group = m.group(1)
                continue
            if line.strip() == "};":
                group = ""
                continue
            m = re.match(r"^\s*#\s*([A-Za-z_]\w*) = [^:\[]+: ", line)
            if m and group:
                keys.add(group + "." + m.group(1))
                continue
            m = re.match(r"^\s*([A-Za-z_]\w*)\s*=\s*.*;\s*$", line)
            if m and not line.lstrip().startswith("#") and m.group(1) != "policies":
                keys.add((group + "." if group else "") + m.group(1))
    return keys


def doc_table_keys():
    """Keys in the first column of the tables between the params markers of docs/model.md."""
    with open(MODEL_MD, encoding="utf-8") as f:
        doc = f.read()
    b, e = doc.find("<!-- params:begin -->"), doc.find("<!-- params:end -->")
    assert 0 <= b < e, "docs/model.md lacks the <!-- params:begin/end --> markers"
    keys = set()
    for line in doc[b:e].splitlines():
        m = re.match(r"^\| `([^`]+)` \|", line)
        if m:
            k = m.group(1)
            keys.add("policies." + k[len("policies[]."):] if k.startswith("policies[].") else k)
    return keys


def load_gen():
    spec = importlib.util.spec_from_file_location("gen_params", GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_defaults_parsed():
    keys = defaults_keys()
    # a sanity floor so that a broken parser cannot pass the comparisons vacuously
    for k in ("seed", "steps", "scale", "grid.width", "sectors.beta_loc", "firms.alpha",
              "land.rk", "output.e_min", "policies.type", "policies.per_worker",
              "policies.max_age"):
        assert k in keys, k
    assert len(keys) > 100


def test_every_defaults_key_is_in_model_doc():
    missing = sorted(defaults_keys() - doc_table_keys())
    assert not missing, ("keys of config/defaults.cfg missing from docs/model.md's parameter "
                         "tables (run /usr/bin/python3 docs/gen_params.py): " + ", ".join(missing))


def test_every_model_doc_key_is_in_defaults():
    extra = sorted(doc_table_keys() - defaults_keys())
    assert not extra, ("docs/model.md documents keys that config/defaults.cfg does not have "
                       "(run /usr/bin/python3 docs/gen_params.py): " + ", ".join(extra))


def test_generator_agrees_with_independent_parser():
    gen = load_gen()
    _, keys, pkeys = gen.parse_defaults(DEFAULTS)
    assert set(gen.all_paths(keys, pkeys)) == defaults_keys()
    for k in keys + pkeys:
        if k.get("path") == "policies":
            continue
        assert k["meaning"] and k["unit"] and k["default"], k


def test_tables_up_to_date():
    proc = subprocess.run([sys.executable, GEN, "--check"], cwd=ROOT, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_key_has_a_source():
    gen = load_gen()
    _, keys, pkeys = gen.parse_defaults(DEFAULTS)
    paths = gen.all_paths(keys, pkeys)
    missing = [p for p in paths if not gen.SOURCES.get(p, "").strip()]
    assert not missing, "no source/reasoning in docs/gen_params.py SOURCES for: " + ", ".join(
        missing)


def test_check_mode_detects_a_stale_table(tmp_path):
    """--check fails when a default in defaults.cfg differs from the table."""
    with open(DEFAULTS, encoding="utf-8") as f:
        cfg = f.read()
    # the comment's documented default and the assignment below it, as the schema writes both
    changed = re.sub(r"(?m)^(  # .*; default )[^\]]+\]\n  alpha = [^;]+;",
                     r"\g<1>0.777]\n  alpha = 0.777;", cfg, count=1)
    assert changed != cfg, "firms.alpha not found in config/defaults.cfg"
    d = tmp_path / "defaults.cfg"
    d.write_text(changed, encoding="utf-8")
    with open(MODEL_MD, encoding="utf-8") as f:
        m = tmp_path / "model.md"
        m.write_text(f.read(), encoding="utf-8")
    proc = subprocess.run([sys.executable, GEN, "--check", "--defaults", str(d), "--model",
                           str(m)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    proc = subprocess.run([sys.executable, GEN, "--defaults", str(d), "--model", str(m)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "`0.777`" in m.read_text(encoding="utf-8")
