"""Every environment variable the settings read is in the README's configuration table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_from_the_environment_is_documented():
    settings = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"""env_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""", settings))
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG"} <= read  # the pattern still finds them
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    table = {
        name
        for line in section.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([A-Z0-9_]+)`", line.split("|")[1])
    }
    missing = sorted(read - table)
    assert not missing, f"Add these to the configuration table in README.md: {missing}"
