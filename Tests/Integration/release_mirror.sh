#!/usr/bin/env bash
# A stand-in for orderstack's GitHub repository: a bare clone of this checkout in which the commit under test is
# tagged with its version (`OrderStack.version`), as a release is (docs/your-own-stack.md, section 5). Prints the
# URL packages depend on, the version and the bare clone's path, one per line; a package resolves the URL to the
# clone with `swift package config set-mirror --original URL --mirror PATH`.
#
#     Tests/Integration/release_mirror.sh DEST
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:?usage: release_mirror.sh DEST}
url=https://github.com/orderstack/orderstack
version=$(sed -n 's/.*public static let version = "\([0-9.]*\)".*/\1/p' "$root/Sources/OrderStackCLI/OrderStack.swift")
test -n "$version" || { echo "release_mirror.sh: no version in Sources/OrderStackCLI/OrderStack.swift" >&2; exit 1; }
rm -rf "$dest/orderstack.git"
mkdir -p "$dest"
git clone -q --bare "$root" "$dest/orderstack.git"
git -C "$dest/orderstack.git" tag -f "$version" "$(git -C "$root" rev-parse HEAD)" > /dev/null
printf '%s\n%s\n%s\n' "$url" "$version" "$dest/orderstack.git"
