#!/usr/bin/env bash
# mypy --strict on the package as it installs: ingest/, queries/ and viz/ are
# subpackages of icsgraph only once installed, so check an installed copy and
# point the messages back at the files in the repository.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
out=$root/build/typecheck
rm -rf "$out"
"$py" -m pip install -q --no-deps --no-compile --target "$out" "$root" >/dev/null
cd "$out"
"$py" -m mypy --config-file "$root/pyproject.toml" -p icsgraph 2>&1 \
  | sed -e 's#^icsgraph/ingest/#ingest/#' -e 's#^icsgraph/viz/#viz/#' \
        -e 's#^icsgraph/queries/#queries/#'
exit "${PIPESTATUS[0]}"
