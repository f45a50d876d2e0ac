"""The policy examples of the documentation load as they are written: every indented block of
docs/*.md and README.md that opens with `policies = (` or `{ type = "`, set on the baseline,
passes `clustersim check` without an error or a warning. configuration.md's example (the one a
new user copies first) put a transport link's end at sea and was refused."""
import glob
import os
import re
import subprocess

import pytest

from test_restart import BIN, ROOT

BASELINE = os.path.join(ROOT, "scenarios", "baseline.cfg")


def policy_blocks():
    """(file:line, text) of each indented block that is a policy list or one policy."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))) + \
            [os.path.join(ROOT, "README.md")]:
        lines = open(path, encoding="utf-8").read().split("\n")
        i = 0
        while i < len(lines):
            first = lines[i]
            if first.startswith("    ") and re.match(r"\s*(policies = \(|\{ type = \")",
                                                    first) and (i == 0 or not lines[i - 1].strip()):
                j = i
                while j < len(lines) and lines[j].startswith("    "):
                    j += 1
                out.append((f"{os.path.relpath(path, ROOT)}:{i + 1}",
                            "\n".join(x[4:] for x in lines[i:j])))
                i = j
            else:
                i += 1
    return out


BLOCKS = policy_blocks()


def test_the_docs_have_policy_examples():
    where = {w.split(":")[0] for w, _ in BLOCKS}
    assert {"docs/configuration.md", "docs/policies.md"} <= where, where
    assert len(BLOCKS) >= 10, [w for w, _ in BLOCKS]


@pytest.mark.parametrize("where,text", BLOCKS, ids=[w for w, _ in BLOCKS])
def test_policy_example_loads_without_a_word(tmp_path, where, text):
    body = text if text.lstrip().startswith("policies") else f"policies = (\n{text}\n);"
    cfg = tmp_path / "example.cfg"
    cfg.write_text(f'base = "{BASELINE}";\n{body}\n')
    r = subprocess.run([BIN, "check", str(cfg)], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and r.stderr == "", f"{where}:\n{text}\n{r.stderr}"
