#!/usr/bin/env bash
# Walks docs/deploy.md on this machine: build the wheelhouse, install from it with no index (as on a
# closed network), migrate a fresh PostgreSQL database, collect static files, pass `check --deploy`,
# serve with the gunicorn line of deploy/tejun.service, answer a page and a static file, run
# `tejun tick`, `tejun backup` and `tejun audit verify`, and check the nginx site when nginx is there.
# Usage: deploy/check-install.sh   (needs PostgreSQL at 127.0.0.1:5432, user postgres, trust auth)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d)
DB="tejun_install_check_$$"
PG="postgres://postgres@127.0.0.1:5432"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  [ -n "${GUNICORN_PID:-}" ] && kill "$GUNICORN_PID" 2>/dev/null || true
  psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== 1. wheelhouse (connected machine): make wheelhouse"
make wheelhouse

echo "== 2. install with no index (closed network)"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --no-index --find-links "$ROOT/wheelhouse" tejun
"$WORK/venv/bin/python" -c "import tejun, weasyprint, docx, cronsim, pyotp, segno, psycopg"

echo "== 3. configuration (deploy/tejun.env.example with this machine's values)"
psql "$PG/postgres" -q -c "CREATE DATABASE $DB"
set -a
# shellcheck disable=SC1091
. "$ROOT/deploy/tejun.env.example"
DATABASE_URL="$PG/$DB"
TEJUN_SECRET_KEY=$(head -c 48 /dev/urandom | base64)
TEJUN_ALLOWED_HOSTS=localhost,127.0.0.1
TEJUN_BASE_URL="https://localhost"
TEJUN_VAR_DIR="$WORK/var"
set +a
mkdir -p "$TEJUN_VAR_DIR"
cd "$TEJUN_VAR_DIR"   # the units run in /var/lib/tejun, never in a source tree

echo "== 4. migrate, collectstatic, check --deploy"
"$WORK/venv/bin/tejun" migrate --no-input -v0
"$WORK/venv/bin/tejun" collectstatic --no-input -v0
"$WORK/venv/bin/tejun" check --deploy --fail-level WARNING

echo "== 5. serve with the unit's gunicorn line"
EXEC=$(sed -n 's/^ExecStart=//p' "$ROOT/deploy/tejun.service" | sed "s#/opt/tejun/venv#$WORK/venv#; s#127.0.0.1:8000#127.0.0.1:$PORT#")
$EXEC > "$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/login/" && break
  sleep 0.5
done
page=$(curl -fsS -H "X-Forwarded-Proto: https" -H "Host: localhost" "http://127.0.0.1:$PORT/login/")
echo "$page" | grep -q "ログイン"
css=$(echo "$page" | grep -o '/static/web/tejun\.[0-9a-f]*\.css' | head -1)
[ -n "$css" ] || { echo "no hashed stylesheet on the login page"; exit 1; }
curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT$css"
headers=$(curl -fsS -D - -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/login/")
echo "$headers" | grep -qi "^strict-transport-security:"
echo "$headers" | grep -qi "^content-security-policy: default-src 'self'"
# Plain HTTP is sent to HTTPS.
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/login/")" = "301" ]

echo "== 6. tick, backup, audit verify"
"$WORK/venv/bin/tejun" tick
"$WORK/venv/bin/tejun" backup "$WORK/backups"
ls "$WORK"/backups/tejun-backup-*.tar >/dev/null
"$WORK/venv/bin/tejun" audit verify

echo "== 7. nginx site"
if command -v nginx >/dev/null; then
  mkdir -p "$WORK/nginx/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=tejun.example.lg.jp" \
    -keyout "$WORK/nginx/tls/tejun.key" -out "$WORK/nginx/tls/tejun.crt" 2>/dev/null
  sed "s#/etc/tejun/tls#$WORK/nginx/tls#" "$ROOT/deploy/nginx-tejun.conf" > "$WORK/nginx/site.conf"
  printf 'pid %s/nginx.pid;\nerror_log stderr;\nevents {}\nhttp { include %s/site.conf; }\n' "$WORK/nginx" "$WORK/nginx" > "$WORK/nginx/nginx.conf"
  nginx -t -c "$WORK/nginx/nginx.conf"
else
  echo "nginx is not installed here: the site file was not checked"
fi

echo "== the install guide's commands all worked"
