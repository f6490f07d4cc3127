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
