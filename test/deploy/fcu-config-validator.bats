#!/usr/bin/env bats
# fcu-config-validator.sh against folders generated with openssl.

setup() {
    load fcu-config-fixture
    VALIDATOR="$BATS_TEST_DIRNAME/../../fcu-config-validator.sh"
    WORK="$BATS_TEST_TMPDIR"
    CONFIG="$WORK/fcu_config"
    make_fcu_config "$CONFIG"
}

@test "a complete folder is accepted" {
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 0 ]
    [[ "$output" == *"FCU configuration looks good, try installing it."* ]]
    [[ "$output" != *ERROR* ]]
}

@test "a path relative to the working directory is accepted, as the old tool took it" {
    cd "$WORK"
    run "$VALIDATOR" fcu_config
    [ "$status" -eq 0 ]
    [[ "$output" == *"Verifying fcu configuration: $WORK/fcu_config"* ]]
}

@test "no argument asks for the folder" {
    run "$VALIDATOR"
    [ "$status" -eq 1 ]
    [[ "$output" == *"Please provide the relative fcu configuration directory path!"* ]]
}

@test "a missing folder is reported" {
    run "$VALIDATOR" "$WORK/nowhere"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: Could not find directory $WORK/nowhere"* ]]
}

@test "missing factory_configurator_utility.zip is reported with the expected layout" {
    rm "$CONFIG/factory_configurator_utility.zip"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: Could not find factory_configurator_utility.zip in $CONFIG"* ]]
    [[ "$output" == *"FCU configuration folder should have -"* ]]
}

@test "the FCU package is not required for pep's own injector" {
    rm "$CONFIG/factory_configurator_utility.zip"
    run "$VALIDATOR" --without-fcu-package "$CONFIG"
    [ "$status" -eq 0 ]
}

@test "missing fcu.yml is reported" {
    rm "$CONFIG/fcu.yml"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: Could not find fcu.yml in $CONFIG"* ]]
}

@test "missing CA private key is reported" {
    rm "$CONFIG/keystore/CA_private.pem"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: Could not find $CONFIG/keystore/CA_private.pem"* ]]
}

@test "missing CA certificate is reported" {
    rm "$CONFIG/keystore/CA_cert.pem"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: Could not find $CONFIG/keystore/CA_cert.pem"* ]]
}

@test "missing update auth certificate only warns" {
    rm "$CONFIG/update-auth-certificate.der"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 0 ]
    [[ "$output" == *"WARNING, No update auth certificate (update-auth-certificate.der) found!"* ]]
}

@test "every problem gets its own line" {
    rm "$CONFIG/factory_configurator_utility.zip" "$CONFIG/fcu.yml" "$CONFIG/keystore/CA_cert.pem"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [ "$(grep -c '^ERROR: ' <<<"$output")" -eq 3 ]
}

@test "a CA key that does not belong to the CA certificate is reported" {
    openssl ecparam -name prime256v1 -genkey -noout -out "$CONFIG/keystore/CA_private.pem" 2>/dev/null
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: $CONFIG/keystore/CA_private.pem does not match the public key of $CONFIG/keystore/CA_cert.pem"* ]]
}

@test "an unparsable CA certificate is reported" {
    echo "not a certificate" > "$CONFIG/keystore/CA_cert.pem"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: $CONFIG/keystore/CA_cert.pem is not a PEM X.509 certificate"* ]]
    [[ "$output" != *"does not match"* ]]
}

@test "an unparsable CA private key is reported" {
    echo "not a key" > "$CONFIG/keystore/CA_private.pem"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: $CONFIG/keystore/CA_private.pem is not an unencrypted PEM private key"* ]]
}

@test "a passphrase-protected CA private key is reported instead of prompting" {
    openssl pkey -in "$CONFIG/keystore/CA_private.pem" -aes256 -passout pass:secret \
        -out "$WORK/encrypted.pem"
    mv "$WORK/encrypted.pem" "$CONFIG/keystore/CA_private.pem"
    run "$VALIDATOR" "$CONFIG" </dev/null
    [ "$status" -eq 1 ]
    [[ "$output" == *"is not an unencrypted PEM private key"* ]]
}

@test "an expired CA certificate is reported" {
    write_expired_ca_certificate "$CONFIG/keystore"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: $CONFIG/keystore/CA_cert.pem has expired"* ]]
}

@test "first-to-claim false is not supported" {
    set_fcu_setting "$CONFIG/fcu.yml" first-to-claim false
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: fcu.yml sets first-to-claim: false; pep supports only first-to-claim: true"* ]]
}

@test "externally supplied device keys are not supported" {
    set_fcu_setting "$CONFIG/fcu.yml" device-key-generation-mode externally_supplied
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: fcu.yml sets device-key-generation-mode: externally_supplied; pep supports only device-key-generation-mode: by_tool"* ]]
}

@test "each unsupported mode is reported, a missing one too" {
    set_fcu_setting "$CONFIG/fcu.yml" entropy-generation-mode by_tool
    set_fcu_setting "$CONFIG/fcu.yml" verify-on-device false
    sed -i '/time-sync/d' "$CONFIG/fcu.yml"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"fcu.yml sets entropy-generation-mode: by_tool"* ]]
    [[ "$output" == *"fcu.yml sets verify-on-device: false"* ]]
    [[ "$output" == *"ERROR: fcu.yml does not set time-sync; pep supports only time-sync: true"* ]]
    [ "$(grep -c '^ERROR: ' <<<"$output")" -eq 3 ]
}

@test "a commented-out mode does not count as set" {
    sed -i 's/^use-bootstrap:.*/# use-bootstrap: true/' "$CONFIG/fcu.yml"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"fcu.yml does not set use-bootstrap"* ]]
}

@test "without openssl the CA cannot be checked and that is said" {
    mkdir "$WORK/bin"
    local tool
    for tool in bash basename sed head cat; do ln -s "$(command -v "$tool")" "$WORK/bin/$tool"; done
    PATH="$WORK/bin" run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: openssl is not installed"* ]]
}

@test "a good folder says how long it stays valid" {
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 0 ]
    [[ "$output" =~ "FCU configuration valid until "[0-9]{4}-[0-9]{2}-[0-9]{2}" ("36[0-9]{2}" days): " ]]
    [[ "$output" != *WARNING* ]]
}

@test "an expired update-auth certificate is an error, as the FCC refuses every gateway with it" {
    write_expired_certificate "$CONFIG/update-auth-certificate.der"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: $CONFIG/update-auth-certificate.der: the update-auth certificate expired on 2021-01-01; "*"ReturnStatus 13 (Certificate expired:mbed.UpdateAuthCert)"* ]]
}

@test "an update-auth certificate with an RSA key is an error: the FCC refuses every gateway with 18" {
    key="$(mktemp)"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$key" -subj "/CN=update" -days 3650 \
        -outform DER -out "$CONFIG/update-auth-certificate.der" 2>/dev/null
    rm -f "$key"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -ne 0 ]
    [[ "$output" == *"ERROR: $CONFIG/update-auth-certificate.der: the update-auth certificate does not have an EC P-256 key"*"ReturnStatus 18 (General error:mbed.UpdateAuthCert)"* ]]
}

@test "an update-auth certificate signed with SHA-384 is an error: the FCC refuses every gateway with 18" {
    key="$(mktemp)"
    openssl ecparam -name prime256v1 -genkey -noout -out "$key" 2>/dev/null
    openssl req -x509 -new -key "$key" -sha384 -subj "/CN=update" -days 3650 \
        -outform DER -out "$CONFIG/update-auth-certificate.der" 2>/dev/null
    rm -f "$key"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -ne 0 ]
    [[ "$output" == *"ERROR: $CONFIG/update-auth-certificate.der: the update-auth certificate is not signed with ECDSA over SHA-256 (Signature Algorithm: ecdsa-with-SHA384)"* ]]
}

@test "an update-auth certificate close to expiry warns with its date and limits the folder" {
    write_certificate_for_days "$CONFIG/update-auth-certificate.der" 10
    local day
    day="$(certificate_end_day "$CONFIG/update-auth-certificate.der")"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 0 ]
    # 10 days from the second openssl wrote it: 10 whole days left when the validator runs within
    # that second, 9 after it
    [[ "$output" == *"WARNING, $CONFIG/update-auth-certificate.der: the update-auth certificate expires on $day, in 9 day(s)"* ||
       "$output" == *"WARNING, $CONFIG/update-auth-certificate.der: the update-auth certificate expires on $day, in 10 day(s)"* ]]
    [[ "$output" == *"FCU configuration valid until $day (9 days): update-auth certificate"* ||
       "$output" == *"FCU configuration valid until $day (10 days): update-auth certificate"* ]]
}

@test "the warning period is an option and an environment variable" {
    write_certificate_for_days "$CONFIG/update-auth-certificate.der" 10
    run "$VALIDATOR" --expiry-warning-days 5 "$CONFIG"
    [ "$status" -eq 0 ]
    [[ "$output" != *WARNING* ]]
    PEP_FCU_EXPIRY_WARNING_DAYS=5 run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 0 ]
    [[ "$output" != *WARNING* ]]
    run "$VALIDATOR" --expiry-warning-days=soon "$CONFIG"
    [ "$status" -eq 2 ]
    [[ "$output" == *"The expiry warning period must be a whole number of days, got: soon"* ]]
}

@test "an unreadable update-auth certificate is an error" {
    echo "not a certificate" > "$CONFIG/update-auth-certificate.der"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: $CONFIG/update-auth-certificate.der (update-auth certificate) is not a DER or PEM X.509 certificate"* ]]
}

@test "an expired bootstrap server CA certificate is an error for pep, though the FCC does not check it" {
    write_expired_certificate "$CONFIG/bootstrap-server-ca-certificate.der"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: $CONFIG/bootstrap-server-ca-certificate.der: the bootstrap server CA certificate expired on 2021-01-01; "* ]]
}

@test "the bootstrap server CA certificate is found where fcu.yml puts it" {
    mkdir "$WORK/resources"
    mv "$CONFIG/bootstrap-server-ca-certificate.der" "$WORK/resources/bootstrap.der"
    echo "bootstrap-server-ca-certificate-file: <%= ENV['FCU_RESOURCES_DIR'] %>/bootstrap.der" >> "$CONFIG/fcu.yml"
    write_expired_certificate "$WORK/resources/bootstrap.der"
    FCU_RESOURCES_DIR="$WORK/resources" run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: $WORK/resources/bootstrap.der: the bootstrap server CA certificate expired on 2021-01-01"* ]]
}

@test "pep's own injector needs the bootstrap server CA certificate, the vendor FCU does not" {
    rm "$CONFIG/bootstrap-server-ca-certificate.der"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 0 ]
    run "$VALIDATOR" --without-fcu-package "$CONFIG"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: Could not find $CONFIG/bootstrap-server-ca-certificate.der (the bootstrap server CA certificate pep's injector sends to every gateway)"* ]]
}

@test "an expired factory CA certificate is reported once" {
    write_expired_ca_certificate "$CONFIG/keystore"
    run "$VALIDATOR" "$CONFIG"
    [ "$status" -eq 1 ]
    [ "$(grep -c 'CA_cert.pem' <<<"$output")" -eq 1 ]
}
