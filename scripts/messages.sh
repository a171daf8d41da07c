#!/usr/bin/env bash
# Refresh a catalogue: extract the English message ids, fill the Chinese from
# scripts/translations_zh.py + scripts/zh/<app>.py, compile.
#   scripts/messages.sh          the shared catalogue (hemei/locale: foundation apps, base templates)
#   scripts/messages.sh points   the catalogue of hemei/points (hemei/points/locale)
# Needs gettext (apt) and polib (pip).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PYTHONPATH="$root" DJANGO_SETTINGS_MODULE=hemei.settings
export HEMEI_DATA_DIR="${HEMEI_DATA_DIR:-$(mktemp -d)}"
# Apps with a catalogue of their own; the shared one leaves them out.
own=(notifications meetings tasks progress supervision rankings intake api households points documents procedures catalogue cases board notices disclosure places homestead)
app="${1:-}"
if [ -z "$app" ]; then
    cd "$root/hemei"
    ignores=(--ignore "ingest/*" --ignore "*/tests/*")
    for name in "${own[@]}"; do ignores+=(--ignore "$name/*"); done
    django-admin makemessages -l zh_Hans "${ignores[@]}"
    python "$root/scripts/translations_zh.py" "$root/hemei/locale" || true
    django-admin compilemessages -l zh_Hans --ignore "*/*"
else
    cd "$root/hemei/$app"
    mkdir -p locale
    django-admin makemessages -l zh_Hans --ignore "tests/*"
    python "$root/scripts/translations_zh.py" "$root/hemei/$app/locale" || true
    django-admin compilemessages -l zh_Hans
fi
