#!/usr/bin/env python3
"""Fail when a locked dependency needs a newer Rust than the workspace's
`rust-version`.

Only Rust 1.95 is installed here, so the declared minimum cannot be built
directly. clippy's `incompatible_msrv` lint checks the workspace's own
uses of the standard library against it; this script checks the
`rust-version` each dependency declares in Cargo.lock's resolution.
Language features newer than the minimum (let chains need 1.88, for
example) are checked by neither.

Reads `cargo metadata --format-version 1` on standard input.
"""

import json
import sys


def parse_version(text):
    """Return a version such as "1.85" or "1.85.1" as a tuple of 3 ints."""
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    metadata = json.load(sys.stdin)
    members = set(metadata["workspace_members"])
    # Compared as versions, so "1.85" and "1.85.0" count as one.
    workspace_minimums = {
        parse_version(package["rust_version"]): package["rust_version"]
        for package in metadata["packages"]
        if package["id"] in members and package.get("rust_version")
    }
    if len(workspace_minimums) != 1:
        print(f"expected one rust-version across the workspace, found {sorted(workspace_minimums.values())}")
        return 1
    minimum = next(iter(workspace_minimums.values()))

    too_new = [
        f"{package['name']} {package['version']} needs Rust {package['rust_version']}"
        for package in metadata["packages"]
        if package.get("rust_version")
        and parse_version(package["rust_version"]) > parse_version(minimum)
    ]
    if too_new:
        print(f"dependencies that need a newer Rust than rust-version = {minimum}:")
        for line in sorted(too_new):
            print(f"  {line}")
        print("downgrade them (cargo update -p NAME --precise VERSION) or raise rust-version")
        return 1
    print(f"every locked dependency builds with Rust {minimum} or declares no minimum")
    return 0


if __name__ == "__main__":
    sys.exit(main())
