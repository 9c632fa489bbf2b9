#!/usr/bin/env bash
# Start-up time of newsmon's short commands (issue 12), with hyperfine: `--version`,
# `search` on a small index, `config check` and `tag` on a one-line text, each under 50 ms.
#
#   bash bench/startup/run.sh [NEW_BINARY] [BASE_BINARY]
#
# Defaults: target/release/newsmon (build it with `cargo build --release -p newsmon-cli`) and
# no baseline. The index is built once in a temporary directory by `newsmon ingest` from the
# end-to-end fixture site, served on loopback by a few lines of Python.
set -euo pipefail
cd "$(dirname "$0")/../.."
new=${1:-target/release/newsmon}
base=${2:-}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$port" tests/fixtures/site <<'PY' &
import http.server, sys, pathlib
port, root = int(sys.argv[1]), pathlib.Path(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = root / self.path.split("?")[0].lstrip("/")
        if ".." in self.path or not path.is_file():
            self.send_response(404); self.end_headers(); return
        body = path.read_text().replace("{{BASE}}", f"http://127.0.0.1:{port}").encode()
        self.send_response(200)
        ctype = {"html": "text/html", "json": "application/feed+json"}.get(path.suffix[1:], "application/xml")
        self.send_header("Content-Type", ctype + "; charset=utf-8")
        self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
server=$!
sleep 0.5
{
  echo "[http]"
  echo "allow_private_networks = true"
  echo "per_host_delay_ms = 0"
  for feed in wire.rss daily.atom ledger.json journal.rss policy.rss; do
    printf '[[source]]\nname = "%s"\nurl = "http://127.0.0.1:%s/feeds/%s"\n' "$feed" "$port" "$feed"
  done
} > "$work/feeds.toml"
"$new" --config "$work/feeds.toml" --index "$work/index" ingest >/dev/null || true
echo "Leaders of the coalition of the willing meet in Paris on Tuesday to agree a US backstop for Ukraine." > "$work/line.txt"

for bin in ${base:+"$base"} "$new"; do
  echo "== $bin"
  hyperfine --warmup 3 --runs 30 --shell=none -i \
    -n version "$bin --version" \
    -n search "$bin --index $work/index search backstop" \
    -n config-check "$bin --config config/newsmon.toml config check" \
    -n tag "$bin --config config/newsmon.toml tag $work/line.txt" \
    --export-markdown "$work/$(basename "$bin").md" >/dev/null || true
  cat "$work/$(basename "$bin").md"
done
