# Sourced by the scale scripts after setting json (the default report): reads --users and --json from "$@" into
# users and json, and leaves the driver's arguments in args, with --json added when absent.
users=200000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --users) users=${args[$((i + 1))]} ;;
    --json) json=${args[$((i + 1))]} ;;
  esac
done
[[ " ${args[*]} " == *" --json "* ]] || args+=(--json "$json")

# postgres_settle PORT [DATABASE]: sets settle to the driver's --settle of a CHECKPOINT and ANALYZE on that server
# (the lookups then measure the directory at rest), or to nothing when BENCH_SETTLE=0.
postgres_settle() {
  settle=()
  [ "${BENCH_SETTLE:-1}" = 0 ] || settle=(--settle "psql -h 127.0.0.1 -p $1 -U postgres -d ${2:-postgres} -qc CHECKPOINT -c ANALYZE")
}
