#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into an explicitly named database and media folder.
#
#   ops/restore.sh --database-url postgres://user@host:5432/archiwum \
#                  --media-root /srv/archiwum/media  BACKUP_DIRECTORY
#
# Both targets must be given on the command line: the script never falls back to DATABASE_URL
# or DJANGO_MEDIA_ROOT, so a restore cannot overwrite a database by accident. In order:
#   1. verifies SHA256SUMS (every file listed, every checksum right) and that both archives are
#      readable; nothing is touched if any check fails;
#   2. unpacks the media into a folder next to the target;
#   3. pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction into the
#      target database (which must exist; create it with createdb): its tables are replaced by
#      the backup's, all or nothing;
#   4. puts the unpacked media in place. A target folder that is not empty is kept, renamed
#      to <folder>.before-restore-<time>, never deleted.
# Then run `manage.py migrate` if the code is newer than the backup.
set -euo pipefail

SCRIPT_NAME=restore
PROJECT_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=ops/_common.sh
. "$PROJECT_ROOT/ops/_common.sh"

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

database_url=""
media_root=""
backup=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --database-url)
      [ "$#" -ge 2 ] || die "--database-url needs a value"
      database_url="$2"
      shift 2
      ;;
    --database-url=*)
      database_url="${1#*=}"
      shift
      ;;
    --media-root)
      [ "$#" -ge 2 ] || die "--media-root needs a value"
      media_root="$2"
      shift 2
      ;;
    --media-root=*)
      media_root="${1#*=}"
      shift
      ;;
    -*) die "unknown option $1 (see --help)" ;;
    *)
      [ -z "$backup" ] || die "more than one backup directory given"
      backup="$1"
      shift
      ;;
  esac
done

[ -n "$backup" ] || die "name the backup directory to restore (see --help)"
[ -n "$database_url" ] ||
  die "no target database: give --database-url explicitly (DATABASE_URL is deliberately not used)"
[ -n "$media_root" ] ||
  die "no target media folder: give --media-root explicitly (DJANGO_MEDIA_ROOT is deliberately not used)"
require_tools pg_restore tar gzip sha256sum
parse_database_url "$database_url"

[ -d "$backup" ] || die "$backup is not a directory"
backup="$(cd "$backup" && pwd)"
for file in SHA256SUMS database.dump media.tar.gz; do
  [ -f "$backup/$file" ] || die "$backup/$file is missing: not a backup made by ops/backup.sh"
done

say "verifying checksums in $backup"
for file in database.dump media.tar.gz; do
  grep -qE "^[0-9a-f]{64}  $file\$" "$backup/SHA256SUMS" ||
    die "SHA256SUMS does not list $file; refusing to restore an unverified file"
done
(cd "$backup" && sha256sum --check --strict --quiet SHA256SUMS) ||
  die "checksums do not match: the backup is damaged or was changed; nothing was restored"
pg_restore --list "$backup/database.dump" >/dev/null ||
  die "database.dump is not a pg_dump custom-format archive; nothing was restored"
members="$(tar --list --gzip --file="$backup/media.tar.gz")" ||
  die "media.tar.gz cannot be read; nothing was restored"
if grep -qE '^/|(^|/)\.\.(/|$)' <<<"$members"; then
  die "media.tar.gz holds absolute paths or '..': refusing to unpack it"
fi

media_root="${media_root%/}"
parent="$(dirname "$media_root")"
mkdir -p "$parent"
staging="$(mktemp -d "$parent/.media-restoring.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
say "unpacking media into a staging folder"
tar --extract --gzip --no-same-owner --file="$backup/media.tar.gz" --directory="$staging"

say "restoring database $DB_LABEL (its current tables are replaced)"
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --no-password --dbname="$CONNINFO" "$backup/database.dump" ||
  die "pg_restore failed; the database was left as it was (single transaction), media untouched"

if [ -d "$media_root" ] && [ -n "$(ls -A "$media_root")" ]; then
  kept="$media_root.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  mv "$media_root" "$kept"
  say "the previous media folder is kept as $kept"
elif [ -d "$media_root" ]; then
  rmdir "$media_root"
fi
mv "$staging" "$media_root"
trap - EXIT

files="$(find "$media_root" -type f | wc -l)"
say "done: database $DB_LABEL restored, $files files in $media_root"
