# Builds FCU configuration folders for the deploy tests: a good one that
# the validator accepts, and helpers that break one thing at a time.
# shellcheck shell=bash

# The fcu.yml modes pep supports, spread over sections with a comment and
# an ERB expression, as in the vendor's template.
write_supported_fcu_yml() {
    cat > "$1" <<'YAML'
# Factory Configurator Utility settings
verbose: false
device-key-generation-mode: by_tool
entropy-generation-mode: by_device
verify-on-device: true
use-bootstrap: true    # bootstrap server hands out the LwM2M credentials
first-to-claim: 'true'
time-sync: true
update-auth-certificate-file: <%= ENV['FCU_RESOURCES_DIR'] %>/update-auth-certificate.der
device-info:
  manufacturer: 'Example Factory'
YAML
}

write_certificate_authority() {
    local keystore="$1"
    mkdir -p "$keystore"
    openssl ecparam -name prime256v1 -genkey -noout -out "$keystore/CA_private.pem" 2>/dev/null
    openssl req -x509 -new -key "$keystore/CA_private.pem" -subj "/CN=pep test CA" \
        -days 3650 -out "$keystore/CA_cert.pem" 2>/dev/null
}

# A stand-in for the vendor archive with the folders the installer uses.
write_fcu_package() {
    local zip_file="$1" staging
    staging="$(mktemp -d)"
    mkdir -p "$staging/fcu" "$staging/config" "$staging/resources" "$staging/ft_demo/sources"
    echo "placeholder wheel" > "$staging/fcu/fcu-1.0.0-py3-none-any.whl"
    echo "# vendor default" > "$staging/config/fcu.yml"
    echo "cbor2" > "$staging/ft_demo/sources/requirements.txt"
    echo "print('ft_demo')" > "$staging/ft_demo/sources/ft_demo.py"
    (cd "$staging" && zip -q -r "$zip_file" .)
    rm -rf "$staging"
}

make_fcu_config() {
    local dir="$1"
    mkdir -p "$dir"
    write_supported_fcu_yml "$dir/fcu.yml"
    write_certificate_authority "$dir/keystore"
    openssl x509 -in "$dir/keystore/CA_cert.pem" -outform DER -out "$dir/update-auth-certificate.der"
    write_certificate_for_days "$dir/bootstrap-server-ca-certificate.der" 3650
    write_fcu_package "$(cd "$dir" && pwd)/factory_configurator_utility.zip"
}

# Replaces one fcu.yml setting, keeping the rest of the file.
set_fcu_setting() {
    local fcu_yml="$1" key="$2" value="$3"
    sed -i -E "s/^([[:space:]]*${key}[[:space:]]*:).*/\\1 ${value}/" "$fcu_yml"
}

# Replaces the CA certificate with one for the same key that expired in
# 2021 (openssl 3.0's req cannot back-date, its ca command can).
write_expired_ca_certificate() {
    local keystore="$1" ca_dir
    ca_dir="$(mktemp -d)"
    touch "$ca_dir/index.txt"
    echo 01 > "$ca_dir/serial"
    cat > "$ca_dir/ca.cnf" <<'CNF'
[ca]
default_ca = expired
[expired]
database = ./index.txt
new_certs_dir = .
serial = ./serial
default_md = sha256
policy = any
[any]
commonName = supplied
CNF
    openssl req -new -key "$keystore/CA_private.pem" -subj "/CN=expired CA" -out "$ca_dir/ca.csr"
    (cd "$ca_dir" && openssl ca -batch -config ca.cnf -selfsign -keyfile "$keystore/CA_private.pem" \
        -in ca.csr -startdate 20200101000000Z -enddate 20210101000000Z \
        -out "$keystore/CA_cert.pem" 2>/dev/null)
    rm -rf "$ca_dir"
}

# A self-signed P-256 certificate in DER, valid from now for this many days.
write_certificate_for_days() {
    local out="$1" days="$2" key
    key="$(mktemp)"
    openssl ecparam -name prime256v1 -genkey -noout -out "$key" 2>/dev/null
    openssl req -x509 -new -key "$key" -subj "/CN=pep test certificate" -days "$days" \
        -outform DER -out "$out" 2>/dev/null
    rm -f "$key"
}

# A self-signed P-256 certificate in DER that expired on 2021-01-01.
write_expired_certificate() {
    local out="$1" keystore
    keystore="$(mktemp -d)"
    openssl ecparam -name prime256v1 -genkey -noout -out "$keystore/CA_private.pem" 2>/dev/null
    write_expired_ca_certificate "$keystore" 2>/dev/null
    openssl x509 -in "$keystore/CA_cert.pem" -outform DER -out "$out"
    rm -rf "$keystore"
}

# The UTC day (YYYY-MM-DD) a DER certificate expires.
certificate_end_day() {
    local end
    end="$(openssl x509 -inform DER -in "$1" -noout -enddate)"
    date -u -d "${end#notAfter=}" +%Y-%m-%d
}
