#!/bin/sh
# Starts one part of the assistant in a container (deploy/Dockerfile); settings come from the
# environment exactly as with `make run` (README.md: Configuration).
set -eu
part="${1:-rasa}"
case "$part" in
  rasa)
    : "${RASA_API_TOKEN:?set RASA_API_TOKEN (a Secret): it protects Rasa's HTTP API}"
    # Only the channels whose secrets are set (launcher/channels.py), as the launcher does.
    python - <<'PY'
import os
from pathlib import Path
from launcher.channels import write_effective_credentials
for line in write_effective_credentials(Path("credentials.yml"), Path("var/credentials.yml"), os.environ):
    print(line, flush=True)
PY
    exec python -m rasa run --model "$MODEL_DIR" --enable-api --auth-token "$RASA_API_TOKEN" \
      --interface 0.0.0.0 --port "${RASA_PORT:-5005}" \
      --endpoints endpoints.yml --credentials var/credentials.yml ;;
  actions) exec python -m launcher.action_server ;;
  desk) exec python -m agent_desk ;;
  web) exec python -m web ;;
  shop) exec python -m orders.demo_shop ;;
  *) echo "usage: entrypoint.sh rasa|actions|desk|web|shop" >&2; exit 2 ;;
esac
