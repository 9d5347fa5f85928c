#!/usr/bin/env bash
# Back up the archive: the PostgreSQL database named by DATABASE_URL and the uploaded documents
# (DJANGO_MEDIA_ROOT, default ./media), into one new timestamped directory with checksums.
#
#   DATABASE_URL=postgres://user@host:5432/archiwum ops/backup.sh [DESTINATION]
#
# DESTINATION defaults to $BACKUP_DIR, or ./backups. The new directory's path is the only line
# printed on standard output (messages go to standard error); it holds
#   database.dump   pg_dump --format=custom of the whole database
#   media.tar.gz    the whole media folder, paths relative to it
#   MANIFEST.txt    when, from which database (never the password), with which pg_dump
#   SHA256SUMS      checksums of the three files above; ops/restore.sh verifies them first
#
# The database is dumped first and the media folder archived after it: files are never removed
# when a record is (deleted records keep theirs for recovery), so every file the dump refers to
# is in the archive. The directory is built under a ".partial" name and renamed when complete,
# so a directory without that suffix is always a whole backup.
set -euo pipefail

SCRIPT_NAME=backup
PROJECT_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=ops/_common.sh
. "$PROJECT_ROOT/ops/_common.sh"

case "${1:-}" in
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  -*) die "unknown option $1 (see --help)" ;;
esac
[ "$#" -le 1 ] || die "too many arguments (see --help)"

require_tools pg_dump tar gzip sha256sum
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set: it names the database to back up."
parse_database_url "$DATABASE_URL"

media_root="${DJANGO_MEDIA_ROOT:-$PROJECT_ROOT/media}"
destination="${1:-${BACKUP_DIR:-$PROJECT_ROOT/backups}}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$destination/archiwum-$stamp"
partial="$target.partial"
[ ! -e "$target" ] || die "$target already exists; run again in a second."

mkdir -p "$destination"
rm -rf "$partial"
mkdir "$partial"
trap 'rm -rf "$partial"' EXIT

say "dumping database $DB_LABEL"
pg_dump --format=custom --no-password --dbname="$CONNINFO" --file="$partial/database.dump" ||
  die "pg_dump failed: is the database reachable and DATABASE_URL (user, password) right?"

if [ -d "$media_root" ]; then
  say "archiving media folder $media_root"
  tar --create --gzip --numeric-owner --file="$partial/media.tar.gz" --directory="$media_root" .
else
  say "warning: media folder $media_root does not exist; the backup holds no uploaded files"
  empty="$(mktemp -d)"
  tar --create --gzip --file="$partial/media.tar.gz" --directory="$empty" .
  rmdir "$empty"
fi
files="$(tar --list --gzip --file="$partial/media.tar.gz" | grep -vc '/$' || true)"

{
  echo "created: $stamp"
  echo "database: $DB_LABEL"
  echo "media_root: $media_root"
  echo "media_files: $files"
  echo "pg_dump: $(pg_dump --version)"
} >"$partial/MANIFEST.txt"

(cd "$partial" && sha256sum database.dump media.tar.gz MANIFEST.txt >SHA256SUMS)

mv "$partial" "$target"
trap - EXIT
say "done: database $DB_LABEL and $files files in $target"
echo "$target"
