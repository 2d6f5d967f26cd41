"""Fetch the JavaScript the drawings inline (``kg/viz/vendor/vendor.json``) from the npm registry with ``npm pack``.

Copies each package's build and licence into ``kg/viz/vendor/`` and records their SHA-256. An entry's
``licence_source`` names the licence file in the package when it has several (vis-network is dual-licensed,
Apache-2.0 or MIT; kg takes it under MIT); empty, the package's one ``LICENSE*`` file is taken.

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
            package = folder / "package"
            shutil.copyfile(package / entry["path"], VENDOR / name)
            if entry.get("licence_source"):
                licence = package / entry["licence_source"]
            else:
                licence = next(p for p in sorted(package.iterdir()) if p.name.upper().startswith("LICENSE"))
            shutil.copyfile(licence, VENDOR / entry["licence"])
            entry["sha256"] = hashlib.sha256((VENDOR / name).read_bytes()).hexdigest()
            print(f"{name}: {spec} {entry['sha256']}")
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
