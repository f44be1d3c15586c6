#!/usr/bin/env bash
# pep-cli get-one-identity: provision this gateway through the pep server and
# save the identity it answers as ./identity.json (only when it succeeded).
set -euo pipefail
# shellcheck source=../common.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../common.sh"

readonly IDENTITY_FILE=identity.json
readonly DEFAULT_API_ADDRESS=https://api.us-east-1.mbedcloud.com
readonly DEFAULT_GATEWAY_SERVICES_ADDRESS=https://gateways.us-east-1.mbedcloud.com
readonly DEFAULT_HARDWARE_VERSION=izuma-edge-gateway
readonly DEFAULT_RADIO_CONFIG=00
readonly DEFAULT_LED_CONFIG=01
readonly DEFAULT_CATEGORY=production
# The old client sealed with a 10 s interval; kept so existing factory
# scripts get the same journald set-up.
readonly DEFAULT_SEAL_INTERVAL=10s

api_address=$DEFAULT_API_ADDRESS
gateway_services_address=$DEFAULT_GATEWAY_SERVICES_ADDRESS
serial_number=""
hardware_version=$DEFAULT_HARDWARE_VERSION
radio_config=$DEFAULT_RADIO_CONFIG
led_config=$DEFAULT_LED_CONFIG
category=$DEFAULT_CATEGORY
fcc_ip_address=""
fcc_port=""
setup_sealing=""
seal_interval=$DEFAULT_SEAL_INTERVAL
verification_key=""

usage() {
  cat <<HELP

Usage: $(cli_command_name) [<options>]

Options:
  -a <ip_or_dns>            cloud api url (default: '$DEFAULT_API_ADDRESS')
  -g <ip_or_dns>            cloud gateway service address (default: '$DEFAULT_GATEWAY_SERVICES_ADDRESS')
  -s <string_value>         serial number of the gateway. There is no schema enforced on this parameter,
                            hence it can be of any length with any alphanumeric and special characters.
                            But it has to be unique, server will not provision 2 gateways with the same serial number.
  -w <string_value>         hardware version of the gateway (default: '$DEFAULT_HARDWARE_VERSION')
  -r <string_value>         radio configuration of the gateway (default: '$DEFAULT_RADIO_CONFIG')
  -l <string_value>         status led configuration of the gateway (default: '$DEFAULT_LED_CONFIG')
  -c <string_value>         development or production (default: '$DEFAULT_CATEGORY')
  -i <ip>                   ip address of the gateway where factory-configurator-client is running
  -p <port_number>          port number at which factory-configurator-client listening
  -v                        verbose
  -k                        Setup Forward secure sealing and generate verification key
                            (runs 'journalctl --setup-keys --force --interval=<interval>', needs root;
                            the key is sent to the server, see get-verification-key)
  -e <interval>             sealing key change interval for -k (default: '$DEFAULT_SEAL_INTERVAL')
  -h                        output usage information

Required: -s, -i, -p. On success the identity is printed and saved as ./$IDENTITY_FILE;
on failure ./$IDENTITY_FILE is left as it was, the reason is on stderr and the exit
status is 1 (server refused or local failure), 2 (bad options) or 3 (server unreachable).
HELP
}

# each option's variable (parse_command_options)
declare -A OPTION_VARIABLES=([a]=api_address [g]=gateway_services_address [s]=serial_number
  [w]=hardware_version [r]=radio_config [l]=led_config [c]=category [i]=fcc_ip_address [p]=fcc_port
  [k]=setup_sealing [e]=seal_interval)

check_options() {
  require_option "$serial_number" -s serial_number
  require_option "$fcc_ip_address" -i ip
  require_option "$fcc_port" -p port_number
  [[ $fcc_port =~ ^[0-9]+$ ]] || usage_error "-p <port_number> must be a number, got '$fcc_port'"
  [[ -z $setup_sealing ]] || require_option "$seal_interval" -e interval
}

# extract_verification_key TEXT: journalctl --setup-keys writes the key on
# stdout as 12 seed bytes in hex groups of three, '/', then hex start and
# interval ("ee2e0e-045220-a3cec8-f111f8/17ec78-35a4e900"); on a terminal its
# explanations and QR code go to stderr. Match the key's shape rather than a
# line number so colour codes or extra lines cannot leak into the key.
extract_verification_key() {
  local pattern='[0-9a-f]{6}(-[0-9a-f]{6})*/[0-9a-f]+-[0-9a-f]+'
  [[ $1 =~ $pattern ]] || return 1
  printf '%s' "${BASH_REMATCH[0]}"
}

# setup_forward_secure_sealing: new journald sealing keys (--force replaces
# keys from an earlier run); sets verification_key.
setup_forward_secure_sealing() {
  local output journalctl_status=0
  command -v journalctl >/dev/null || {
    cli_error "-k needs journalctl (systemd-journald), which is not installed"
    return "$EXIT_FAILURE"
  }
  output=$(journalctl --setup-keys --force --interval="$seal_interval") || journalctl_status=$?
  if ((journalctl_status != 0)); then
    cli_error "journalctl --setup-keys failed (exit $journalctl_status); it needs root and persistent journal storage (/var/log/journal)"
    return "$EXIT_FAILURE"
  fi
  verification_key=$(extract_verification_key "$output") || {
    cli_error "journalctl --setup-keys printed no verification key"
    return "$EXIT_FAILURE"
  }
}

identity_url() {
  api_url identity \
    serialNumber "$serial_number" \
    ip "$fcc_ip_address" \
    port "$fcc_port" \
    apiAddress "$api_address" \
    gatewayServicesAddress "$gateway_services_address" \
    hardwareVersion "$hardware_version" \
    radioConfig "$radio_config" \
    ledConfig "$led_config" \
    category "$category" \
    verificationKey "$verification_key"
}

main() {
  if (($# == 0)); then
    usage >&2
    exit "$EXIT_USAGE"
  fi
  parse_command_options 'a:g:s:w:r:l:c:i:p:e:k' "$@"
  check_options

  local identity_temp header_file
  # Before keys are generated or the gateway provisioned: fail early when
  # the identity could not be saved.
  temp_file_beside "$IDENTITY_FILE" identity_temp || exit
  temp_file header_file || exit
  if [[ -n $setup_sealing ]]; then
    setup_forward_secure_sealing || exit
  fi

  http_get "$(identity_url)" "$identity_temp" "$header_file" || exit
  publish_file "$identity_temp" "$IDENTITY_FILE"
  print_file "$IDENTITY_FILE"
}

main "$@"
