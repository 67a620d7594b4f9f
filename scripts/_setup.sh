# Shared set-up for scripts/run and scripts/test: system tools, the venv, the package.
# Sourced, not run. Idempotent: a second run only checks.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '%s\n' "[setup] $*" >&2; }

# apt_ensure TOOL PACKAGE...: install PACKAGE(s) when TOOL is missing and we may.
apt_ensure() {
    local tool="$1"; shift
    command -v "$tool" >/dev/null 2>&1 && return 0
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
            say "missing $tool and no permission to apt-get install $*; install it and retry"
            return 1
        fi
    fi
    if [ -z "${_APT_UPDATED:-}" ]; then
        say "apt-get update"
        $sudo apt-get update -qq >/dev/null
        _APT_UPDATED=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ensure_venv EXTRAS: create .venv and install the package with EXTRAS when pyproject changed.
ensure_venv() {
    local extras="$1"
    if [ ! -x "$PY" ]; then
        say "creating $VENV"
        python3 -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$extras"
    local want
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "pip install -e .[$extras]"
        "$PY" -m pip install -q --upgrade pip >/dev/null
        "$PY" -m pip install -q -e "$ROOT[$extras]"
        echo "$want" > "$stamp"
    fi
}

# start_xvfb: export DISPLAY for a private Xvfb when none is set (stopped on exit).
start_xvfb() {
    [ -n "${DISPLAY:-}" ] && return 0
    apt_ensure Xvfb xvfb xauth
    local fifo
    fifo="$(mktemp -u)"; mkfifo "$fifo"
    Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
    _XVFB_PID=$!
    read -r num < "$fifo"; rm -f "$fifo"
    export DISPLAY=":$num"
    trap 'kill $_XVFB_PID 2>/dev/null || true' EXIT
    say "started Xvfb on $DISPLAY"
}
