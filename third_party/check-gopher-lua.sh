#!/bin/sh
# check-gopher-lua.sh: checks the patched gopher-lua copy in this folder.
#  1. state.go and vm.go are what _tools/go-inline generates from _state.go and _vm.go;
#  2. the patches in patches/, applied in order to the released v1.1.2 module,
#     give exactly the files of gopher-lua/ (the .github folder left out).
# Needs python3, git and go (go mod download fetches the released module).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cp -R "$here/gopher-lua" "$scratch/gen"
(cd "$scratch/gen" && chmod +x _tools/go-inline && ./_tools/go-inline _state.go _vm.go >/dev/null && gofmt -w state.go vm.go)
for f in state.go vm.go; do
	cmp -s "$scratch/gen/$f" "$here/gopher-lua/$f" || { echo "$f is not what go-inline generates from _$f" >&2; exit 1; }
done

dir=$(cd "$scratch" && GOFLAGS=-mod=mod go mod download -json github.com/yuin/gopher-lua@v1.1.2 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cp -R "$dir" "$scratch/up"
chmod -R u+w "$scratch/up"
rm -rf "$scratch/up/.github"
(cd "$scratch/up" && git init -q && for p in "$here"/patches/*.patch; do git apply -p1 "$p"; done)
rm -rf "$scratch/up/.git"
diff -r "$scratch/up" "$here/gopher-lua" >&2 || { echo "the patches do not give gopher-lua/" >&2; exit 1; }
echo "gopher-lua: generated files and patches agree"
