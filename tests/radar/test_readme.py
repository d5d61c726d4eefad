"""The README shows real output: its example is run and compared, never hand-copied."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_tag_example_shows_what_radar_tag_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(
        r"```sh\necho '(?P<input>\{.*?\})' \| \.venv/bin/radar tag\n```\n+```json\n(?P<output>.*?)```", readme, re.S
    )
    assert example, "README.md has lost its `radar tag` example"
    done = subprocess.run(
        [sys.executable, "-m", "radar.cli", "tag"],
        input=example["input"].encode() + b"\n",
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    actual = json.loads(done.stdout)
    assert json.loads(example["output"]) == actual, (
        "README.md's example output is stale; replace it with:\n" + json.dumps(actual, ensure_ascii=False, indent=2)
    )
