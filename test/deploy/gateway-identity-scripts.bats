#!/usr/bin/env bats
# example-scripts/ run against a temp tree standing in for a gateway's file
# system, with stand-ins for systemctl and parsec-tool that record calls.

setup() {
    SCRIPTS="$BATS_TEST_DIRNAME/../../example-scripts"
    WORK="$BATS_TEST_TMPDIR"
    export GATEWAY_ROOT="$WORK/gateway"
    export REQUIRE_ROOT=0
    export CALLS="$WORK/calls.log"

    mkdir -p "$WORK/fake-bin"
    # FAKE_PARSEC_PING_RC: exit status of `parsec-tool ping`.
    cat > "$WORK/fake-bin/systemctl" <<'FAKE'
#!/usr/bin/env bash
echo "systemctl $*" >> "$CALLS"
FAKE
    cat > "$WORK/fake-bin/parsec-tool" <<'FAKE'
#!/usr/bin/env bash
echo "parsec-tool $*" >> "$CALLS"
exit "${FAKE_PARSEC_PING_RC:-0}"
FAKE
    chmod +x "$WORK/fake-bin/"*
    PATH="$WORK/fake-bin:$PATH"

    CRED_DIR="$GATEWAY_ROOT/userdata/mbed/mcc_config"
    CONFIG_DIR="$GATEWAY_ROOT/userdata/edge_gw_config"
    # Where pep-cli and FCC left their output on the gateway.
    FACTORY_DIR="$WORK/factory"
    mkdir -p "$FACTORY_DIR"
    cd "$FACTORY_DIR" || return
}

provisioned_gateway() {
    mkdir -p "$CRED_DIR/pal/WORKING" "$CONFIG_DIR" \
        "$GATEWAY_ROOT/wigwag/system/lib/bash" "$GATEWAY_ROOT/userdata/etc/devicejs/db"
    echo old > "$CRED_DIR/pal/WORKING/old-credential"
    echo '{"serialNumber":"OLD"}' > "$CONFIG_DIR/identity.json"
    echo stats > "$GATEWAY_ROOT/wigwag/system/lib/bash/relaystatics.sh"
    echo db > "$GATEWAY_ROOT/userdata/etc/devicejs/db/data"
    echo db > "$GATEWAY_ROOT/userdata/etc/maestroConfig.db"
}

new_identity_from_pep() {
    echo '{"serialNumber":"NEW"}' > "$FACTORY_DIR/identity.json"
}

new_fcc_output() {
    mkdir -p "$FACTORY_DIR/pal/WORKING"
    echo new > "$FACTORY_DIR/pal/WORKING/new-credential"
}

# Every file under the gateway tree with its content digest.
gateway_state() {
    (cd "$GATEWAY_ROOT" && find . -type f -exec sha256sum {} + | sort)
}

@test "prepare shows its options with -h" {
    run "$SCRIPTS/prepare-for-new-identity.sh" -h
    [ "$status" -eq 0 ]
    [[ "$output" == *"Usage: prepare-for-new-identity.sh"* ]]
    [[ "$output" == *"-d DIR"* ]]
    [ ! -e "$CALLS" ]
}

@test "prepare stops edge-core and removes the previous identity" {
    provisioned_gateway
    run "$SCRIPTS/prepare-for-new-identity.sh"
    [ "$status" -eq 0 ]
    [ ! -e "$CRED_DIR" ]
    [ ! -e "$CONFIG_DIR" ]
    [ ! -e "$GATEWAY_ROOT/wigwag/system/lib/bash/relaystatics.sh" ]
    [ ! -e "$GATEWAY_ROOT/userdata/etc/devicejs/db" ]
    [ ! -e "$GATEWAY_ROOT/userdata/etc/maestroConfig.db" ]
    [ "$(cat "$CALLS")" = "$(printf 'systemctl mask edge-core\nsystemctl stop edge-core')" ]
}

@test "prepare run twice succeeds and leaves the same state" {
    provisioned_gateway
    "$SCRIPTS/prepare-for-new-identity.sh"
    first="$(gateway_state)"
    run "$SCRIPTS/prepare-for-new-identity.sh"
    [ "$status" -eq 0 ]
    [[ "$output" == *"No device management credentials to clear ($CRED_DIR)"* ]]
    [ "$(gateway_state)" = "$first" ]
}

@test "prepare takes paths and the unit name from flags" {
    mkdir -p "$WORK/other/creds" "$WORK/other/config" "$WORK/other/extra"
    run "$SCRIPTS/prepare-for-new-identity.sh" -d "$WORK/other/creds" -c "$WORK/other/config" \
        -s my-edge-core -x "$WORK/other/extra"
    [ "$status" -eq 0 ]
    [ ! -e "$WORK/other/creds" ]
    [ ! -e "$WORK/other/config" ]
    [ ! -e "$WORK/other/extra" ]
    grep -qx "systemctl mask my-edge-core" "$CALLS"
}

@test "prepare refuses to remove the root folder" {
    run "$SCRIPTS/prepare-for-new-identity.sh" -x /
    [ "$status" -ne 0 ]
    [[ "$output" == *"refusing to remove '/'"* ]]
}

@test "install shows its options with -h and --help" {
    run "$SCRIPTS/install-new-identity.sh" -h
    [ "$status" -eq 0 ]
    [[ "$output" == *"--parsec"* ]]
    run "$SCRIPTS/install-new-identity.sh" --help
    [ "$status" -eq 0 ]
    [[ "$output" == *"Usage: install-new-identity.sh"* ]]
}

@test "install without Parsec puts identity.json and FCC's pal folder in place" {
    provisioned_gateway
    "$SCRIPTS/prepare-for-new-identity.sh"
    new_identity_from_pep
    new_fcc_output
    run "$SCRIPTS/install-new-identity.sh"
    [ "$status" -eq 0 ]
    grep -q NEW "$CONFIG_DIR/identity.json"
    [ "$(cat "$CRED_DIR/WORKING/new-credential")" = new ]
    [ ! -e "$FACTORY_DIR/pal" ]
    grep -qx "systemctl unmask edge-core" "$CALLS"
}

@test "install replaces credentials left in place instead of merging into them" {
    provisioned_gateway
    new_identity_from_pep
    new_fcc_output
    run "$SCRIPTS/install-new-identity.sh"
    [ "$status" -eq 0 ]
    [ ! -e "$CRED_DIR/pal" ]
    [ ! -e "$CRED_DIR/WORKING/old-credential" ]
    [ -e "$CRED_DIR/WORKING/new-credential" ]
}

@test "install without Parsec run twice succeeds and leaves the same state" {
    new_identity_from_pep
    new_fcc_output
    "$SCRIPTS/install-new-identity.sh"
    first="$(gateway_state)"
    run "$SCRIPTS/install-new-identity.sh"
    [ "$status" -eq 0 ]
    [[ "$output" == *"identity.json already installed at $CONFIG_DIR/identity.json"* ]]
    [[ "$output" == *"Device management credentials already installed at $CRED_DIR"* ]]
    [ "$(gateway_state)" = "$first" ]
}

@test "install takes its inputs and destinations from flags" {
    mkdir -p "$WORK/in/fcc"
    echo '{}' > "$WORK/in/id.json"
    run "$SCRIPTS/install-new-identity.sh" -i "$WORK/in/id.json" -p "$WORK/in/fcc" \
        -c "$WORK/out/config" -d "$WORK/out/creds" -s my-edge-core
    [ "$status" -eq 0 ]
    [ -f "$WORK/out/config/identity.json" ]
    [ -d "$WORK/out/creds" ]
    grep -qx "systemctl unmask my-edge-core" "$CALLS"
}

@test "install without identity.json changes nothing" {
    new_fcc_output
    run "$SCRIPTS/install-new-identity.sh"
    [ "$status" -ne 0 ]
    [[ "$output" == *"No identity.json found; run pep-cli get-one-identity first."* ]]
    [ -d "$FACTORY_DIR/pal" ]
    [ ! -e "$CRED_DIR" ]
    [ ! -e "$CALLS" ]
}

@test "install without FCC output changes nothing" {
    new_identity_from_pep
    run "$SCRIPTS/install-new-identity.sh"
    [ "$status" -ne 0 ]
    [[ "$output" == *"No FCC output folder pal and no credentials at $CRED_DIR"* ]]
    [ -f "$FACTORY_DIR/identity.json" ]
}

@test "install with Parsec checks the PSA storage and the Parsec service" {
    new_identity_from_pep
    mkdir -p "$CRED_DIR/pst"
    run "$SCRIPTS/install-new-identity.sh" --parsec
    [ "$status" -eq 0 ]
    [[ "$output" == *"Found device management credentials in PSA trusted storage at $CRED_DIR/pst."* ]]
    grep -q NEW "$CONFIG_DIR/identity.json"
    grep -qx "parsec-tool ping" "$CALLS"
    grep -qx "systemctl unmask edge-core" "$CALLS"
}

@test "install with Parsec run twice succeeds and leaves the same state" {
    new_identity_from_pep
    mkdir -p "$CRED_DIR/pst"
    echo key-ref > "$CRED_DIR/pst/item"
    "$SCRIPTS/install-new-identity.sh" --parsec
    first="$(gateway_state)"
    run "$SCRIPTS/install-new-identity.sh" --parsec
    [ "$status" -eq 0 ]
    [ "$(gateway_state)" = "$first" ]
}

@test "install with Parsec fails when the PSA storage is missing" {
    new_identity_from_pep
    run "$SCRIPTS/install-new-identity.sh" --parsec
    [ "$status" -ne 0 ]
    [[ "$output" == *"Failed to locate device management credentials at $CRED_DIR/pst."* ]]
    [ -f "$FACTORY_DIR/identity.json" ]
}

@test "install with Parsec fails when the Parsec service does not answer" {
    new_identity_from_pep
    mkdir -p "$CRED_DIR/pst"
    FAKE_PARSEC_PING_RC=1 run "$SCRIPTS/install-new-identity.sh" --parsec
    [ "$status" -ne 0 ]
    [[ "$output" == *"The Parsec service does not answer"* ]]
}

@test "the scripts refuse to run as a normal user" {
    local -a as_normal_user=()
    if [ "$EUID" -eq 0 ]; then
        command -v setpriv >/dev/null || skip "running as root without setpriv"
        as_normal_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    REQUIRE_ROOT=1 run "${as_normal_user[@]}" "$SCRIPTS/prepare-for-new-identity.sh"
    [ "$status" -ne 0 ]
    [[ "$output" == *"must be run via sudo (or as root)"* ]]
}
