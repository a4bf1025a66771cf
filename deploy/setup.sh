#!/usr/bin/env bash
# Sets the project up on a fresh machine: finds Python 3.10 (Rasa 3.6 needs >=3.8,<3.11),
# creates .venv, installs the pinned lock, and trains the model when data or config changed.
# Each step is skipped when its inputs have not changed since it last ran, so running this
# before every `make run` / `make test` costs a second or two.
#
#   deploy/setup.sh                  venv + runtime dependencies + model
#   deploy/setup.sh --dev --no-model venv + runtime and dev tools (ruff, mypy, pytest), no model
#   deploy/setup.sh --test           dev tools, model, the browser the tests drive (chromium),
#                                     HAProxy (the multi-instance and multi-host tests) and
#                                     Redis Sentinel (the failover test)
#   deploy/setup.sh --balancer       also HAProxy, for RASA_INSTANCES / ACTION_INSTANCES above 1
#                                     (implied when either variable is set above 1)
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0; BROWSER=0; MODEL=1; BALANCER=0
if [ "${RASA_INSTANCES:-1}" -gt 1 ] 2>/dev/null || [ "${ACTION_INSTANCES:-1}" -gt 1 ] 2>/dev/null; then
  BALANCER=1
fi
for arg in "$@"; do
  case "$arg" in
    --dev) DEV=1 ;;
    --test) DEV=1; BROWSER=1; BALANCER=1 ;;
    --balancer) BALANCER=1 ;;
    --no-model) MODEL=0 ;;
    *) echo "usage: deploy/setup.sh [--dev] [--test] [--balancer] [--no-model]" >&2; exit 2 ;;
  esac
done

VENV=.venv
STAMPS=$VENV/.stamps
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

find_python310() {
  local candidate
  for candidate in "${PYTHON310:-}" python3.10; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/3.10*/bin/python3.10; do
      [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
  fi
  if command -v uv >/dev/null 2>&1; then
    candidate=$(uv python find 3.10 2>/dev/null || true)
    [ -n "$candidate" ] && { echo "$candidate"; return 0; }
  fi
  return 1
}

# A stamp holds the checksum of a step's inputs; the step reruns only when it differs.
inputs_sum() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }
stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$STAMPS"; echo "$2" > "$STAMPS/$1"; }

if [ ! -x "$VENV/bin/python" ]; then
  if ! PY=$(find_python310); then
    cat >&2 <<'MSG'
error: Python 3.10 was not found (Rasa Open Source 3.6 runs on Python 3.8 to 3.10).
Install one of these, then run this command again:
  pyenv install 3.10          (https://github.com/pyenv/pyenv)
  uv python install 3.10      (https://docs.astral.sh/uv/)
  apt install python3.10-venv (Debian/Ubuntu releases that ship 3.10)
or point PYTHON310 at an interpreter: PYTHON310=/path/to/python3.10 make run
MSG
    exit 1
  fi
  say "Creating $VENV with $PY"
  "$PY" -m venv "$VENV"
fi

deps_sum=$(inputs_sum requirements.txt)
if ! stamp_ok deps "$deps_sum"; then
  say "Installing pinned dependencies (about 2 minutes the first time)"
  "$VENV/bin/python" -m pip install --progress-bar on -r requirements.txt
  stamp_set deps "$deps_sum"
fi

dev_sum=$(inputs_sum requirements.txt requirements-dev.txt)
if [ "$DEV" = 1 ] && ! stamp_ok dev "$dev_sum"; then
  say "Installing the pinned test and lint tools"
  "$VENV/bin/python" -m pip install --progress-bar on -r requirements-dev.txt
  stamp_set dev "$dev_sum"
fi

if [ "$(id -u)" = 0 ]; then APT=(apt-get); else APT=(sudo apt-get); fi
apt_install() {
  "${APT[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq "$@" >/dev/null
}
if [ "$BROWSER" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  say "Installing Debian's chromium for the browser tests"
  apt_install chromium
fi
# A Korean agent's analytics charts (drawn by matplotlib on the server, SVG and `make report`'s
# PNG) and the browser tests' screenshots need a Hangul font: matplotlib's DejaVu Sans and
# Debian's chromium have none (analytics/charts.py looks for Nanum, then Noto CJK).
if [ -z "$(fc-list :lang=ko 2>/dev/null)" ] && [ ! -e /usr/share/fonts/truetype/nanum/NanumGothic.ttf ]; then
  if command -v apt-get >/dev/null 2>&1; then
    say "Installing Debian's Nanum fonts (Hangul in Korean analytics charts and screenshots)"
    apt_install fonts-nanum
  else
    say "No Hangul font found: install Nanum or Noto Sans CJK KR, or Korean charts show boxes"
  fi
fi
if [ "$BALANCER" = 1 ] && ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  say "Installing Debian's HAProxy (load balancer for several Rasa and action servers)"
  apt_install haproxy
fi
if [ "$BROWSER" = 1 ] && ! command -v redis-sentinel >/dev/null 2>&1 && [ ! -x /usr/bin/redis-sentinel ]; then
  say "Installing Debian's redis-sentinel for the Redis failover test"
  apt_install redis-sentinel
fi

# The deployment files' offline validators need jsonschema 4 (the project pins 3.2.0 for Rasa):
# they get a venv of their own from any Python 3 (tests/deploy, deploy/README.md).
deploy_sum=$(inputs_sum deploy/requirements-validate.txt)
if [ "$BROWSER" = 1 ] && { ! stamp_ok deploy "$deploy_sum" || [ ! -x .venv-deploy/bin/kubernetes-validate ]; }; then
  say "Installing the deployment validators into .venv-deploy"
  if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then apt_install python3-venv; fi
  python3 -m venv .venv-deploy
  .venv-deploy/bin/python -m pip install -q -r deploy/requirements-validate.txt
  stamp_set deploy "$deploy_sum"
fi

# rasa-webchat from npm, for the test that a shop's existing widget works (addons/channels/README.md).
# Only its standalone bundle is kept (gitignored tests/vendor/); the tarball's sha1 is npm's.
WEBCHAT_JS=tests/vendor/rasa-webchat-1.0.1.js
WEBCHAT_SHA1=918985573aa505d81ab927c5ea5919ae29a5ecfd
if [ "$BROWSER" = 1 ] && [ ! -f "$WEBCHAT_JS" ]; then
  say "Fetching rasa-webchat 1.0.1 from npm for the widget compatibility test"
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then APT=(apt-get); else APT=(sudo apt-get); fi
    "${APT[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq npm >/dev/null
  fi
  pack_dir=$(mktemp -d)
  (cd "$pack_dir" && npm pack --silent rasa-webchat@1.0.1 >/dev/null)
  echo "$WEBCHAT_SHA1  $pack_dir/rasa-webchat-1.0.1.tgz" | sha1sum -c --quiet
  mkdir -p tests/vendor
  tar -xzf "$pack_dir/rasa-webchat-1.0.1.tgz" -O package/lib/index.js >"$WEBCHAT_JS"
  rm -rf "$pack_dir"
fi

[ "$MODEL" = 1 ] || exit 0
model_sum=$(find config.yml domain data addons/tokenizer.py addons/message_guard.py -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if ! stamp_ok model "$model_sum" || ! ls models/*.tar.gz >/dev/null 2>&1; then
  say "Training the model (data or config changed; about a minute)"
  rm -rf models
  "$VENV/bin/rasa" train --domain domain --out models --fixed-model-name assistant
  stamp_set model "$model_sum"
else
  say "Model is up to date (models/assistant.tar.gz)"
fi
