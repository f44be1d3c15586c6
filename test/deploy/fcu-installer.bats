#!/usr/bin/env bats
# fcu-installer.sh without Docker: target folders under a temp dir and a
# stand-in Python whose venv pip records what it is asked to install.

setup() {
    load fcu-config-fixture
    INSTALLER="$BATS_TEST_DIRNAME/../../fcu-installer.sh"
    WORK="$BATS_TEST_TMPDIR"
    CONFIG="$WORK/fcu_config"
    make_fcu_config "$CONFIG"

    export FCU_PACKAGE_DIR="$WORK/opt/fcu-package"
    export FCU_VENV_DIR="$WORK/opt/fcu-ve"
    export PYTHON="$WORK/fake-python3"
    export PIP_LOG="$WORK/pip.log"
    # pip fails when its arguments contain FAKE_PIP_FAILS_FOR.
    cat > "$PYTHON" <<'FAKE'
#!/usr/bin/env bash
[[ "$1 $2" == "-m venv" ]] || exit 2
mkdir -p "$3/bin"
cat > "$3/bin/pip" <<'PIP'
#!/usr/bin/env bash
echo "$*" >> "$PIP_LOG"
[[ -z "${FAKE_PIP_FAILS_FOR:-}" || "$*" != *"$FAKE_PIP_FAILS_FOR"* ]]
PIP
chmod +x "$3/bin/pip"
FAKE
    chmod +x "$PYTHON"
}

@test "installs the FCU package, its Python packages and the site's configuration" {
    run "$INSTALLER" "$CONFIG"
    [ "$status" -eq 0 ]
    [[ "$output" == *"FCU is successfully installed!"* ]]

    [ -f "$FCU_PACKAGE_DIR/ft_demo/sources/ft_demo.py" ]
    cmp "$CONFIG/fcu.yml" "$FCU_PACKAGE_DIR/config/fcu.yml"
    cmp "$CONFIG/keystore/CA_cert.pem" "$FCU_PACKAGE_DIR/keystore/fcu.crt"
    cmp "$CONFIG/keystore/CA_private.pem" "$FCU_PACKAGE_DIR/keystore/fcu_private_key.pem"
    [ "$(stat -c %a "$FCU_PACKAGE_DIR/keystore/fcu_private_key.pem")" = 600 ]
    cmp "$CONFIG/update-auth-certificate.der" "$FCU_PACKAGE_DIR/resources/update-auth-certificate.der"

    grep -qx -- "install --upgrade fcu -f $FCU_PACKAGE_DIR/fcu" "$PIP_LOG"
    grep -qx -- "install --upgrade -r $FCU_PACKAGE_DIR/ft_demo/sources/requirements.txt" "$PIP_LOG"
}

@test "an invalid configuration installs nothing" {
    set_fcu_setting "$CONFIG/fcu.yml" first-to-claim false
    run "$INSTALLER" "$CONFIG"
    [ "$status" -ne 0 ]
    [[ "$output" == *"fcu.yml sets first-to-claim: false"* ]]
    [[ "$output" == *"FCU configuration is not valid, nothing installed."* ]]
    [ ! -e "$FCU_PACKAGE_DIR" ]
    [ ! -e "$FCU_VENV_DIR" ]
}

@test "a failed fcu package install fails the installation" {
    FAKE_PIP_FAILS_FOR="fcu -f" run "$INSTALLER" "$CONFIG"
    [ "$status" -ne 0 ]
    [[ "$output" == *"Failed to install FCU packages!"* ]]
    [[ "$output" != *"FCU is successfully installed!"* ]]
}

@test "a failed ft_demo requirements install fails the installation" {
    FAKE_PIP_FAILS_FOR="requirements.txt" run "$INSTALLER" "$CONFIG"
    [ "$status" -ne 0 ]
    [[ "$output" == *"Failed to install the ft_demo requirements!"* ]]
}

@test "without an update auth certificate it warns and installs" {
    rm "$CONFIG/update-auth-certificate.der"
    run "$INSTALLER" "$CONFIG"
    [ "$status" -eq 0 ]
    [[ "$output" == *"WARN, No update auth certificate found!"* ]]
    [ ! -e "$FCU_PACKAGE_DIR/resources/update-auth-certificate.der" ]
}

@test "installing twice gives the same result" {
    "$INSTALLER" "$CONFIG"
    first="$(cd "$WORK/opt" && find . -type f -exec sha256sum {} + | sort)"
    run "$INSTALLER" "$CONFIG"
    [ "$status" -eq 0 ]
    [ "$(cd "$WORK/opt" && find . -type f -exec sha256sum {} + | sort)" = "$first" ]
}

@test "no argument asks for the folder" {
    run "$INSTALLER"
    [ "$status" -eq 1 ]
    [[ "$output" == *"Please provide the relative fcu configuration directory path!"* ]]
}
