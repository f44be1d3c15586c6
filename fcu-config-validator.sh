#!/usr/bin/env bash
#
# Checks an FCU configuration folder before it is baked into the pep image
# (Dockerfile build argument fcu_config) or mounted for pep's own injector.
#
# Usage: fcu-config-validator.sh [--without-fcu-package] [--expiry-warning-days N] <fcu_config_dir>
#
# Every problem found is reported on its own line; the exit status is 0 only
# when the folder is usable. The file names and messages follow the
# validator of the Node.js pelion-edge-provisioner so existing factory
# instructions keep working.
#
# Certificate dates are checked as the gateway's factory client (FCC) would
# check them: an expired update-auth certificate makes FCC refuse every
# gateway (ReturnStatus 13), so it is an error here; so is an expired
# bootstrap server CA or factory CA certificate. One that expires within
# N days (default 30, or PEP_FCU_EXPIRY_WARNING_DAYS) is a warning with
# its date, and a usable folder ends with how long it stays valid.

set -uo pipefail

readonly FCU_YML="fcu.yml"
readonly FCU_PACKAGE="factory_configurator_utility.zip"
readonly UPDATE_AUTH_CERT="update-auth-certificate.der"
readonly KEYSTORE="keystore"
readonly CA_PRIVATE_KEY="CA_private.pem"
readonly CA_CERT="CA_cert.pem"
readonly BOOTSTRAP_CA_CERT="bootstrap-server-ca-certificate.der"

# The only fcu.yml modes the provisioning flow works with: the gateway asks
# for its own identity (bootstrap, first-to-claim), the tool creates the
# device key and certificate, and the device checks what it receives.
readonly SUPPORTED_MODES=(
    "use-bootstrap=true"
    "first-to-claim=true"
    "device-key-generation-mode=by_tool"
    "entropy-generation-mode=by_device"
    "verify-on-device=true"
    "time-sync=true"
)

problem_count=0
expiry_warning_days="${PEP_FCU_EXPIRY_WARNING_DAYS:-30}"
openssl_reported=false
# The certificate that expires first, for the closing "valid until" line.
valid_until_epoch=""
valid_until_role=""

report_problem() {
    echo "ERROR: $*" >&2
    problem_count=$((problem_count + 1))
}

# True when openssl is there; reports its absence once otherwise.
have_openssl() {
    command -v openssl >/dev/null 2>&1 && return 0
    if [[ "$openssl_reported" == false ]]; then
        report_problem "openssl is not installed; it is needed to check the certificates and the CA key"
        openssl_reported=true
    fi
    return 1
}

print_usage() {
    cat <<EOF
Usage: $(basename "$0") [--without-fcu-package] <fcu_config_dir>

  --without-fcu-package  the folder is for pep's own injector (bin/pep-inject),
                         so $FCU_PACKAGE is not required but the bootstrap
                         server CA certificate is
  --expiry-warning-days N
                         warn about certificates that expire within N days
                         (default 30, or PEP_FCU_EXPIRY_WARNING_DAYS)
  -h, --help             show this help

FCU configuration folder should have -
<fcu_config_dir>
--- $FCU_YML
--- $FCU_PACKAGE
--- $UPDATE_AUTH_CERT (optional)
--- $BOOTSTRAP_CA_CERT (for pep's injector; fcu.yml bootstrap-server-ca-certificate-file may name another)
--- $KEYSTORE
--- --- $CA_PRIVATE_KEY
--- --- $CA_CERT
EOF
}

# Prints the value fcu.yml gives to a key, wherever it is nested, without
# quotes or a trailing comment; prints nothing when the key is absent.
read_fcu_setting() {
    local fcu_yml="$1" key="$2"
    sed -n -E "s/^[[:space:]]*${key}[[:space:]]*:[[:space:]]*([^#]*).*$/\\1/p" "$fcu_yml" \
        | head -n 1 \
        | sed -E "s/[[:space:]]+$//; s/^['\"](.*)['\"]$/\\1/"
}

check_supported_modes() {
    local fcu_yml="$1" mode key expected actual
    for mode in "${SUPPORTED_MODES[@]}"; do
        key="${mode%%=*}"
        expected="${mode#*=}"
        actual="$(read_fcu_setting "$fcu_yml" "$key")"
        if [[ -z "$actual" ]]; then
            report_problem "$FCU_YML does not set $key; pep supports only $key: $expected"
        elif [[ "${actual,,}" != "$expected" ]]; then
            report_problem "$FCU_YML sets $key: $actual; pep supports only $key: $expected"
        fi
    done
}

# The CA signs every device certificate, so the certificate and private key
# must be readable, belong together and still be valid.
check_certificate_authority() {
    local cert="$1" key="$2" cert_public_key key_public_key
    if ! have_openssl; then
        return
    fi
    if ! cert_public_key="$(openssl x509 -in "$cert" -noout -pubkey 2>/dev/null)"; then
        report_problem "$cert is not a PEM X.509 certificate"
    elif ! openssl x509 -in "$cert" -noout -checkend 0 >/dev/null 2>&1; then
        report_problem "$cert has expired"
    else
        check_certificate_dates "$cert" "factory CA certificate" \
            "no device certificate can be issued with it"
    fi
    # An empty passphrase makes an encrypted key fail here instead of prompting:
    # the factory tool cannot use it either.
    if ! key_public_key="$(openssl pkey -in "$key" -passin pass: -pubout 2>/dev/null)"; then
        report_problem "$key is not an unencrypted PEM private key"
    fi
    if [[ -n "${cert_public_key:-}" && -n "${key_public_key:-}" \
          && "$cert_public_key" != "$key_public_key" ]]; then
        report_problem "$key does not match the public key of $cert"
    fi
}

# Prints a certificate's notAfter in seconds since the epoch; the file may be
# DER or PEM. Fails when it is neither.
certificate_end_epoch() {
    local cert="$1" form end
    for form in DER PEM; do
        if end="$(openssl x509 -inform "$form" -in "$cert" -noout -enddate 2>/dev/null)"; then
            date -u -d "${end#notAfter=}" +%s
            return
        fi
    done
    return 1
}

# check_fcc_can_parse <file> <role>: the gateways' factory client (FCC) can
# only use an EC P-256 certificate signed with ECDSA over SHA-256; with an
# RSA key or a SHA-384 signature it refuses every gateway with ReturnStatus 18
# (General error:mbed.UpdateAuthCert). Same rule as pep's FccCertificateProfile.
check_fcc_can_parse() {
    local cert="$1" role="$2" form text=""
    have_openssl || return
    for form in DER PEM; do
        text="$(openssl x509 -inform "$form" -in "$cert" -noout -text 2>/dev/null)" && break
    done
    [[ -n "$text" ]] || return # not a certificate: check_certificate_dates says so
    if ! grep -q 'Public Key Algorithm: id-ecPublicKey' <<<"$text" \
        || ! grep -Eq 'ASN1 OID: prime256v1|NIST CURVE: P-256' <<<"$text"; then
        report_problem "$cert: the $role does not have an EC P-256 key (prime256v1); the gateways' factory client (FCC) refuses every gateway with ReturnStatus 18 (General error:mbed.UpdateAuthCert)"
    elif ! grep -q 'Signature Algorithm: ecdsa-with-SHA256' <<<"$text"; then
        report_problem "$cert: the $role is not signed with ECDSA over SHA-256 ($(grep -m1 -o 'Signature Algorithm: .*' <<<"$text")); the gateways' factory client (FCC) refuses every gateway with ReturnStatus 18 (General error:mbed.UpdateAuthCert)"
    fi
}

# check_certificate_dates <file> <role> <what goes wrong once it has expired>
# Expired is a problem, expiring within the warning period a warning with
# the date; the certificate that expires first limits the whole folder.
check_certificate_dates() {
    local cert="$1" role="$2" consequence="$3" end now day days_left
    have_openssl || return
    if ! end="$(certificate_end_epoch "$cert")"; then
        report_problem "$cert ($role) is not a DER or PEM X.509 certificate"
        return
    fi
    now="$(date -u +%s)"
    day="$(date -u -d "@$end" +%Y-%m-%d)"
    if (( end < now )); then
        report_problem "$cert: the $role expired on $day; $consequence"
        return
    fi
    days_left=$(( (end - now) / 86400 ))
    if (( end - now < expiry_warning_days * 86400 )); then
        echo "WARNING, $cert: the $role expires on $day, in $days_left day(s); renew it before then, or $consequence"
    fi
    if [[ -z "$valid_until_epoch" ]] || (( end < valid_until_epoch )); then
        valid_until_epoch="$end"
        valid_until_role="$role"
    fi
}

# Where the bootstrap server CA certificate is: fcu.yml's
# bootstrap-server-ca-certificate-file (its ERB FCU_RESOURCES_DIR and a
# relative name resolved against the folder), else the default name.
bootstrap_ca_file() {
    local config_dir="$1" fcu_yml="$2" name=""
    [[ -e "$fcu_yml" ]] && name="$(read_fcu_setting "$fcu_yml" bootstrap-server-ca-certificate-file)"
    [[ -n "$name" ]] || name="$BOOTSTRAP_CA_CERT"
    local erb="<%= ENV['FCU_RESOURCES_DIR'] %>"
    name="${name//"$erb"/${FCU_RESOURCES_DIR:-$config_dir}}"
    [[ "$name" == /* ]] || name="$config_dir/$name"
    echo "$name"
}

main() {
    local require_fcu_package=true config_arg=""
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --without-fcu-package) require_fcu_package=false ;;
            --expiry-warning-days)
                if [[ $# -lt 2 ]]; then
                    echo "--expiry-warning-days needs a number of days" >&2; print_usage >&2; return 2
                fi
                expiry_warning_days="$2"; shift ;;
            --expiry-warning-days=*) expiry_warning_days="${1#*=}" ;;
            -h|--help) print_usage; return 0 ;;
            -*) echo "Unknown option: $1" >&2; print_usage >&2; return 2 ;;
            *) config_arg="$1" ;;
        esac
        shift
    done

    if [[ -z "$config_arg" ]]; then
        echo "Please provide the relative fcu configuration directory path!" >&2
        return 1
    fi
    if [[ ! "$expiry_warning_days" =~ ^[0-9]+$ ]]; then
        echo "The expiry warning period must be a whole number of days, got: $expiry_warning_days" >&2
        print_usage >&2
        return 2
    fi

    local config_dir="$config_arg"
    [[ "$config_dir" == /* ]] || config_dir="$PWD/$config_arg"
    echo "Verifying fcu configuration: $config_dir"

    if [[ ! -d "$config_dir" ]]; then
        report_problem "Could not find directory $config_dir"
        print_usage >&2
        return 1
    fi

    if [[ "$require_fcu_package" == true && ! -e "$config_dir/$FCU_PACKAGE" ]]; then
        report_problem "Could not find $FCU_PACKAGE in $config_dir"
    fi

    local fcu_yml="$config_dir/$FCU_YML"
    if [[ ! -e "$fcu_yml" ]]; then
        report_problem "Could not find $FCU_YML in $config_dir"
    fi

    local ca_key="$config_dir/$KEYSTORE/$CA_PRIVATE_KEY"
    local ca_cert="$config_dir/$KEYSTORE/$CA_CERT"
    local file
    for file in "$ca_key" "$ca_cert"; do
        [[ -e "$file" ]] || report_problem "Could not find $file"
    done

    local layout_problem_count="$problem_count"

    # Content checks only make sense once the layout is right; a missing
    # file has been reported above.
    [[ -e "$fcu_yml" ]] && check_supported_modes "$fcu_yml"
    [[ -e "$ca_key" && -e "$ca_cert" ]] && check_certificate_authority "$ca_cert" "$ca_key"

    if [[ ! -e "$config_dir/$UPDATE_AUTH_CERT" ]]; then
        echo "WARNING, No update auth certificate ($UPDATE_AUTH_CERT) found!"
    else
        check_certificate_dates "$config_dir/$UPDATE_AUTH_CERT" "update-auth certificate" \
            "the gateways' factory client (FCC) refuses every gateway with ReturnStatus 13 (Certificate expired:mbed.UpdateAuthCert)"
        check_fcc_can_parse "$config_dir/$UPDATE_AUTH_CERT" "update-auth certificate"
    fi

    # pep's injector sends it to every gateway; the vendor's FCU may bring its own
    local bootstrap_ca
    bootstrap_ca="$(bootstrap_ca_file "$config_dir" "$fcu_yml")"
    if [[ -e "$bootstrap_ca" ]]; then
        check_certificate_dates "$bootstrap_ca" "bootstrap server CA certificate" \
            "gateways are provisioned but cannot trust their bootstrap server (FCC does not check it)"
    elif [[ "$require_fcu_package" == false ]]; then
        report_problem "Could not find $bootstrap_ca (the bootstrap server CA certificate pep's injector sends to every gateway)"
    fi

    if [[ "$layout_problem_count" -gt 0 ]]; then
        print_usage >&2
    fi
    if [[ "$problem_count" -gt 0 ]]; then
        return 1
    fi
    echo "FCU configuration looks good, try installing it."
    if [[ -n "$valid_until_epoch" ]]; then
        echo "FCU configuration valid until $(date -u -d "@$valid_until_epoch" +%Y-%m-%d)" \
            "($(( (valid_until_epoch - $(date -u +%s)) / 86400 )) days): $valid_until_role"
    fi
}

main "$@"
