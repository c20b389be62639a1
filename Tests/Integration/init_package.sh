#!/usr/bin/env bash
# A package as `orderstack init` writes it, with orderstack's repository URL resolved through a SwiftPM mirror to
# a bare clone of this checkout whose HEAD is tagged as the release (release_mirror.sh). Prints the package's
# folder.
#
#     Tests/Integration/init_package.sh ORDERSTACK DEST NAME TEMPLATE   # then: cd DEST/NAME && swift build
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=${1:?usage: init_package.sh ORDERSTACK DEST NAME TEMPLATE}
dest=${2:?usage: init_package.sh ORDERSTACK DEST NAME TEMPLATE}
name=${3:?usage: init_package.sh ORDERSTACK DEST NAME TEMPLATE}
template=${4:?usage: init_package.sh ORDERSTACK DEST NAME TEMPLATE}
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
rm -rf "${dest:?}/$name"
mkdir -p "$dest"
{ read -r url; read -r _; read -r mirror; } < <("$root/Tests/Integration/release_mirror.sh" "$dest")
"$binary" init "$name" --template "$template" --path "$dest/$name" > /dev/null
cd "$dest/$name"
swift package config set-mirror --original "$url" --mirror "$mirror"
git init -q . && git add -A && git -c user.email=ci@example.com -c user.name=CI commit -q -m "orderstack init $name --template $template"
echo "$dest/$name"
