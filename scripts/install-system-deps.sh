#!/usr/bin/env bash
# Installs what the pipeline and the tests need beyond Node.js, on Debian/Ubuntu:
# Java (openapi-generator validates every spec), redis-server (the Redis token-store tests start one),
# Chromium (the docs test opens the API reference headless). Skips what is already there.
set -euo pipefail
missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# A packaged redis-server may start a system service; the tests start their own instances.
if command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "10.34.9" ]; then
  npm i -g pnpm@10.34.9 >/dev/null
fi
echo "java: $(java -version 2>&1 | head -n1)"
echo "redis-server: $(redis-server --version | cut -d' ' -f3)"
echo "chromium: $(chromium --version 2>/dev/null || echo missing)"
echo "pnpm: $(pnpm --version)"
