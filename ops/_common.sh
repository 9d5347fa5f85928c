# Shared by ops/backup.sh and ops/restore.sh (sourced, not run).

say() {
  echo "$SCRIPT_NAME: $*" >&2
}

die() {
  echo "$SCRIPT_NAME: error: $*" >&2
  exit 1
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null ||
      die "$tool is not installed (it comes with the PostgreSQL client tools, GNU tar or coreutils)."
  done
}

# parse_database_url URL: sets CONNINFO (a libpq URI without the password), DB_LABEL (for
# messages: user@host/name) and exports PGPASSWORD, so the password never appears on a command
# line where other users of the machine could read it (ps).
parse_database_url() {
  local url="$1" pattern userinfo hostport name options user password
  pattern='^(postgres|postgresql|pgsql)://([^/]*@)?([^/?]*)(/[^?]*)?(\?.*)?$'
  [[ "$url" =~ $pattern ]] ||
    die "not a PostgreSQL address: expected postgres://user[:password]@host[:port]/database (backups cover PostgreSQL only; with SQLite, copy the file)."
  userinfo="${BASH_REMATCH[2]%@}"
  hostport="${BASH_REMATCH[3]}"
  name="${BASH_REMATCH[4]#/}"
  options="${BASH_REMATCH[5]}"
  [ -n "$name" ] || die "the database address names no database: $url"
  user="${userinfo%%:*}"
  if [[ "$userinfo" == *:* ]]; then
    password="${userinfo#*:}"
    PGPASSWORD="$(printf '%b' "${password//%/\\x}")" # percent-decoded, as libpq would
    export PGPASSWORD
  fi
  CONNINFO="postgresql://${user:+$user@}${hostport}/${name}${options}"
  DB_LABEL="${user:+$user@}${hostport:-local socket}/${name}"
}
