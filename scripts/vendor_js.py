"""Fetch the JavaScript the drawings inline (``kg/viz/vendor/vendor.json``) from the npm registry with ``npm pack``.

Copies each package's build and licence into ``kg/viz/vendor/`` and records their SHA-256.

    python scripts/vendor_js.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "kg" / "viz" / "vendor"


def main() -> None:
    manifest_path = VENDOR / "vendor.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        for name, entry in sorted(manifest.items()):
            spec = f"{entry['package']}@{entry['version']}"
            packed = subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True, capture_output=True,
                                    text=True).stdout.strip().splitlines()[-1]
            folder = Path(tmp) / entry["package"]
            with tarfile.open(Path(tmp) / packed) as archive:
                archive.extractall(folder, filter="data")
            shutil.copyfile(folder / "package" / entry["path"], VENDOR / name)
            licence = next(p for p in (folder / "package").iterdir() if p.name.upper().startswith("LICENSE"))
            shutil.copyfile(licence, VENDOR / entry["licence"])
            entry["sha256"] = hashlib.sha256((VENDOR / name).read_bytes()).hexdigest()
            print(f"{name}: {spec} {entry['sha256']}")
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
