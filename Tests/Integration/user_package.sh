#!/usr/bin/env bash
# A user's package as docs/your-own-stack.md describes it: a copy of examples/webhooks that depends on orderstack
# by its repository URL and a version (`from: "<version>"`), resolved through a SwiftPM mirror
# (`swift package config set-mirror`) to a bare clone of this repository in which the commit under test is tagged
# with its version (`OrderStack.version`, what `orderstack --version` prints): the release scheme of docs/your-own-
# stack.md section 5, with this checkout standing in for GitHub. Prints the package's folder.
#
#     Tests/Integration/user_package.sh /tmp/orderstack-user     # then: cd /tmp/orderstack-user/webhooks && swift build
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:?usage: user_package.sh DEST}
rm -rf "$dest"
mkdir -p "$dest/webhooks"
{ read -r url; read -r version; read -r mirror; } < <("$root/Tests/Integration/release_mirror.sh" "$dest")

cd "$root/examples/webhooks"
cp -R Package.swift Sources blueprints output .gitignore "$dest/webhooks/"
cd "$dest/webhooks"
python3 - "$url" "$version" <<'PY'
import pathlib, re, sys
url, version = sys.argv[1:]
manifest = pathlib.Path("Package.swift")
text = manifest.read_text()
path_dependency = '.package(path: "../..")'
assert path_dependency in text, "examples/webhooks/Package.swift no longer depends on ../.."
text = text.replace(path_dependency, f'.package(url: "{url}", from: "{version}")')
text, named = re.subn(r"(///[^\n]*\n)*let orderstack = URL\(fileURLWithPath: #filePath\)[^\n]*\n[^\n]*\n\n", "", text)
assert named == 1, "examples/webhooks/Package.swift no longer computes the dependency's name"
text = text.replace("package: orderstack)", 'package: "orderstack")')
manifest.write_text(text)
PY
swift package config set-mirror --original "$url" --mirror "$mirror"
git init -q . && git add -A && git -c user.email=ci@example.com -c user.name=CI commit -q -m "a user's package"
echo "$dest/webhooks"
