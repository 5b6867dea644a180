"""axe-core, the accessibility checker the browser tests inject into pages, fetched from the npm registry.

``python -m tests.axe`` downloads the pinned release once (``make test`` runs it after
installing the project) and checks it against the registry's published sha512 before
unpacking ``axe.min.js`` into the virtual environment.  Nothing is fetched when the tests run.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
SCRIPT = Path(sys.prefix) / "share" / f"axe-core-{VERSION}" / "axe.min.js"


class AxeUnavailable(Exception):
    pass


def fetch(timeout: float = 60) -> Path:
    """axe.min.js, downloaded and checked if it is not there yet."""
    if SCRIPT.exists():
        return SCRIPT
    try:
        with urllib.request.urlopen(TARBALL, timeout=timeout) as response:
            tarball = response.read()
    except OSError as error:
        raise AxeUnavailable(f"cannot download {TARBALL}: {error}") from error
    algorithm, expected = INTEGRITY.split("-", 1)
    if base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode() != expected:
        raise AxeUnavailable(f"{TARBALL} does not match its published {algorithm}: not unpacked")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        script = archive.extractfile("package/axe.min.js")
        if script is None:
            raise AxeUnavailable(f"{TARBALL} holds no axe.min.js")
        data = script.read()
    SCRIPT.parent.mkdir(parents=True, exist_ok=True)
    temporary = SCRIPT.with_suffix(".part")
    temporary.write_bytes(data)
    temporary.replace(SCRIPT)
    return SCRIPT


if __name__ == "__main__":
    try:
        print(f"axe-core {VERSION}: {fetch()}")
    except AxeUnavailable as error:
        sys.exit(f"axe-core: {error}")
