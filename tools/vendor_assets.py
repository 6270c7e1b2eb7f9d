"""Re-create the vendored web assets in ``pata_gis/static/vendor/``.

folium loads Leaflet, jQuery, Bootstrap, Font Awesome, Leaflet.awesome-markers and
its plugins from CDNs, so a map opened without internet stays blank. This script
fetches the exact versions folium asks for from the npm registry (``npm pack``),
keeps only the files a map needs (no source maps, no sources, no docs), keeps each
package's licence beside its files, and writes ``MANIFEST.json``: for every file its
sha256, size, licence and the CDN URLs it replaces. :mod:`pata_gis.maps` reads that
manifest to rewrite folium's CDN links.

Run from the repository root (needs ``npm`` and access to the npm registry)::

    python tools/vendor_assets.py          # rebuild pata_gis/static/vendor
    python tools/vendor_assets.py --check  # verify the committed files against the manifest

Edits made to upstream files (recorded in the manifest under ``modified``):

* Font Awesome ``all.min.css``: the ``.ttf`` fallbacks are dropped from ``@font-face``
  (every supported browser reads the ``.woff2`` files; the ``.ttf`` files would add 650 kB).
* ``bootstrap-glyphicons.css`` is extracted from Bootstrap 3.4.1's ``bootstrap.css`` (the
  ``@font-face`` and ``.glyphicon*`` rules, woff2 only); folium points at the Bootstrap
  3.0.0 file of the same name on a CDN, which npm does not hold.
* ``leaflet.awesome.rotate.min.css`` is generated (``.fa-rotate-N`` for N = 0..360), the
  same rules as folium's file of that name, which is not part of the folium wheel.
* Files below a package's ``dist/`` folder are stored without that folder
  (``dist/`` is git-ignored and left out of wheels); relative paths between them
  are unchanged.
* Where a tarball has no licence file, ``LICENSE`` is written from the licence named in its
  ``package.json`` with the upstream copyright line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "pata_gis" / "static" / "vendor"

JSD = "https://cdn.jsdelivr.net/npm"
CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"

MIT_TEXT = """MIT License

{copyright}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


@dataclass
class Package:
    """One npm package and the files taken from it.

    ``files`` maps a path inside the tarball (below ``package/``) to the CDN URLs
    that file replaces (empty for files only referenced from CSS, such as images).
    """

    npm: str
    version: str
    license: str
    dirname: str
    files: dict[str, list[str]]
    license_files: list[str] = field(default_factory=list)
    license_copyright: str | None = None  # write an MIT LICENSE when the tarball has none

    @property
    def spec(self) -> str:
        return f"{self.npm}@{self.version}"

    @property
    def folder(self) -> str:
        return f"{self.dirname}@{self.version}"


PACKAGES: list[Package] = [
    Package(
        "leaflet",
        "1.9.3",
        "BSD-2-Clause",
        "leaflet",
        {
            "dist/leaflet.js": [f"{JSD}/leaflet@1.9.3/dist/leaflet.js"],
            "dist/leaflet.css": [f"{JSD}/leaflet@1.9.3/dist/leaflet.css"],
            "dist/images/layers.png": [],
            "dist/images/layers-2x.png": [],
            "dist/images/marker-icon.png": [],
            "dist/images/marker-icon-2x.png": [],
            "dist/images/marker-shadow.png": [],
        },
        ["LICENSE"],
    ),
    Package(
        "jquery",
        "3.7.1",
        "MIT",
        "jquery",
        {
            "dist/jquery.min.js": [
                "https://code.jquery.com/jquery-3.7.1.min.js",
                f"{CDNJS}/jquery/3.7.1/jquery.min.js",
            ]
        },
        ["LICENSE.txt"],
    ),
    Package(
        "bootstrap",
        "5.2.2",
        "MIT",
        "bootstrap",
        {
            "dist/js/bootstrap.bundle.min.js": [
                f"{JSD}/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js"
            ],
            "dist/css/bootstrap.min.css": [f"{JSD}/bootstrap@5.2.2/dist/css/bootstrap.min.css"],
        },
        ["LICENSE"],
    ),
    Package(
        "@fortawesome/fontawesome-free",
        "6.2.0",
        "(CC-BY-4.0 AND OFL-1.1 AND MIT)",
        "fontawesome-free",
        {
            "css/all.min.css": [f"{JSD}/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"],
            "webfonts/fa-brands-400.woff2": [],
            "webfonts/fa-regular-400.woff2": [],
            "webfonts/fa-solid-900.woff2": [],
            "webfonts/fa-v4compatibility.woff2": [],
        },
        ["LICENSE.txt"],
    ),
    Package(
        "drmonty-leaflet-awesome-markers",
        "2.0.2",
        "MIT",
        "leaflet.awesome-markers",
        {
            "js/leaflet.awesome-markers.min.js": [
                f"{CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
                f"{CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.min.js",
            ],
            "css/leaflet.awesome-markers.css": [
                f"{CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css"
            ],
            "css/images/markers-soft.png": [],
            "css/images/markers-soft@2x.png": [],
            "css/images/markers-shadow.png": [],
            "css/images/markers-shadow@2x.png": [],
        },
        license_copyright="Copyright (C) 2013 L. Voogdt (Leaflet.awesome-markers)",
    ),
    Package(
        "leaflet-draw",
        "1.0.2",
        "MIT",
        "leaflet-draw",
        {
            "dist/leaflet.draw.js": [f"{CDNJS}/leaflet.draw/1.0.2/leaflet.draw.js"],
            "dist/leaflet.draw.css": [f"{CDNJS}/leaflet.draw/1.0.2/leaflet.draw.css"],
            "dist/images/spritesheet.png": [],
            "dist/images/spritesheet-2x.png": [],
            "dist/images/spritesheet.svg": [],
        },
        license_copyright="Copyright (c) 2012-2017, Jacob Toye, Jon West, Smartrak, Leaflet",
    ),
    Package(
        "leaflet.fullscreen",
        "3.0.0",
        "MIT",
        "leaflet.fullscreen",
        {
            "Control.FullScreen.js": [f"{JSD}/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js"],
            "Control.FullScreen.css": [f"{JSD}/leaflet.fullscreen@3.0.0/Control.FullScreen.css"],
            "icon-fullscreen.svg": [],
        },
        ["LICENSE"],
    ),
    # Source of the generated glyphicons stylesheet (see _glyphicons below).
    Package(
        "bootstrap",
        "3.4.1",
        "MIT",
        "bootstrap-glyphicons",
        {"dist/fonts/glyphicons-halflings-regular.woff2": []},
        ["LICENSE"],
    ),
]

GLYPHICONS_CDN = "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css"
ROTATE_CDN = (
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css"
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _npm_pack(spec: str, dest: Path) -> tuple[Path, dict[str, str]]:
    out = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(dest)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    info = json.loads(out)[0]
    return dest / info["filename"], {"integrity": info.get("integrity", "")}


def _extract(tgz: Path, member: str, target: Path) -> None:
    with tarfile.open(tgz) as tar:
        src = tar.extractfile(f"package/{member}")
        if src is None:
            raise FileNotFoundError(f"{tgz.name}: no file package/{member}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(src.read())


def _flat(member: str) -> str:
    """Path of a tarball member below the package folder, without a leading ``dist/``.

    ``dist/`` (and ``build/``) folders are commonly git-ignored and left out of
    wheels, so the vendored tree must not contain any.
    """
    return member.removeprefix("dist/")


def _drop_ttf(css: str) -> str:
    """Remove ``,url(...ttf) format("truetype")`` fallbacks from @font-face rules."""
    return re.sub(r',url\([^)]*\.ttf\) format\("truetype"\)', "", css)


def _glyphicons(bootstrap3_css: str) -> str:
    """The @font-face and .glyphicon rules of Bootstrap 3, woff2 only."""
    face = (
        '@font-face{font-family:"Glyphicons Halflings";'
        'src:url("fonts/glyphicons-halflings-regular.woff2")'
        ' format("woff2")}\n'
    )
    rules = re.findall(r"(?m)^(\.glyphicon[^{@]*\{[^}]*\})", bootstrap3_css)
    compact = [re.sub(r"\s+", " ", r).replace(" {", "{").strip() for r in rules]
    header = (
        "/* Glyphicons rules extracted from Bootstrap v3.4.1 (https://getbootstrap.com),\n"
        " * Copyright 2011-2019 Twitter, Inc., MIT licence; Glyphicons Halflings font\n"
        " * by glyphicons.com, licensed for Bootstrap. Generated by tools/vendor_assets.py */\n"
    )
    return header + face + "\n".join(compact) + "\n"


def _rotate_css() -> str:
    header = (
        "/* .fa-rotate-N rules used by folium's Icon(angle=N); same rules as folium's\n"
        " * leaflet.awesome.rotate.min.css (MIT). Generated by tools/vendor_assets.py */\n"
    )
    rules = (f".fa-rotate-{n}{{transform:rotate({n}deg)}}" for n in range(361))
    return header + "".join(rules) + "\n"


def build(vendor: Path = VENDOR) -> dict:
    """Download every package and write the vendored tree and its manifest."""
    if vendor.exists():
        shutil.rmtree(vendor)
    vendor.mkdir(parents=True)
    manifest: dict = {
        "generated_by": "tools/vendor_assets.py",
        "note": "CDN URL -> vendored file map used by pata_gis.maps; do not edit by hand.",
        "packages": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for pkg in PACKAGES:
            tgz, meta = _npm_pack(pkg.spec, tmpdir)
            entry = {
                "package": pkg.npm,
                "version": pkg.version,
                "license": pkg.license,
                "folder": pkg.folder,
                "tarball_integrity": meta["integrity"],
                "modified": [],
                "license_files": [],
                "files": [],
            }
            root = vendor / pkg.folder
            for member, cdns in pkg.files.items():
                target = root / _flat(member)
                _extract(tgz, member, target)
                if member == "css/all.min.css" and pkg.dirname == "fontawesome-free":
                    target.write_text(_drop_ttf(target.read_text("utf-8")), "utf-8")
                    entry["modified"].append(f"{member}: .ttf fallbacks dropped")
                entry["files"].append(_file_entry(vendor, target, cdns))
            for lic in pkg.license_files:
                _extract(tgz, lic, root / lic)
                entry["license_files"].append(f"{pkg.folder}/{lic}")
            if pkg.license_copyright:
                (root / "LICENSE").write_text(
                    MIT_TEXT.format(copyright=pkg.license_copyright), "utf-8"
                )
                entry["license_files"].append(f"{pkg.folder}/LICENSE")
                entry["modified"].append("LICENSE written from package.json (tarball has none)")
            if pkg.dirname == "bootstrap-glyphicons":
                with tarfile.open(tgz) as tar:
                    f = tar.extractfile("package/dist/css/bootstrap.css")
                    assert f is not None
                    css = _glyphicons(f.read().decode("utf-8"))
                target = root / "bootstrap-glyphicons.css"
                target.write_text(css, "utf-8")
                entry["modified"].append("bootstrap-glyphicons.css extracted from bootstrap.css")
                entry["files"].append(_file_entry(vendor, target, [GLYPHICONS_CDN]))
            manifest["packages"].append(entry)

    # folium's rotation classes (generated).
    folium_dir = vendor / "folium-rotate@0.20.0"
    target = folium_dir / "leaflet.awesome.rotate.min.css"
    target.parent.mkdir(parents=True)
    target.write_text(_rotate_css(), "utf-8")
    (folium_dir / "LICENSE").write_text(
        MIT_TEXT.format(copyright="Copyright (C) 2013, Rob Story (folium)"), "utf-8"
    )
    manifest["packages"].append(
        {
            "package": "folium (generated rules)",
            "version": "0.20.0",
            "license": "MIT",
            "folder": "folium-rotate@0.20.0",
            "tarball_integrity": "",
            "modified": ["generated by tools/vendor_assets.py"],
            "license_files": ["folium-rotate@0.20.0/LICENSE"],
            "files": [_file_entry(vendor, target, [ROTATE_CDN])],
        }
    )
    (vendor / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return manifest


def _file_entry(vendor: Path, target: Path, cdns: list[str]) -> dict:
    return {
        "path": target.relative_to(vendor).as_posix(),
        "bytes": target.stat().st_size,
        "sha256": _sha256(target),
        "cdn": list(cdns),
    }


def check(vendor: Path = VENDOR) -> list[str]:
    """Return the problems found comparing the vendored files to the manifest."""
    manifest = json.loads((vendor / "MANIFEST.json").read_text("utf-8"))
    problems = []
    for pkg in manifest["packages"]:
        for f in pkg["files"]:
            path = vendor / f["path"]
            if not path.is_file():
                problems.append(f"{f['path']}: missing")
            elif _sha256(path) != f["sha256"]:
                problems.append(f"{f['path']}: sha256 differs from MANIFEST.json")
        for lic in pkg["license_files"]:
            if not (vendor / lic).is_file():
                problems.append(f"{lic}: licence file missing")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify, do not download")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    manifest = build()
    total = sum(f["bytes"] for p in manifest["packages"] for f in p["files"])
    print(f"vendored {len(manifest['packages'])} packages, {total / 1024:.0f} kB into {VENDOR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
