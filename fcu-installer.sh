#!/usr/bin/env bash
#
# Installs the vendor's Factory Configurator Utility (FCU) from a validated
# FCU configuration folder, as the Docker image build does when it is given
# the fcu_config build argument.
#
# Usage: fcu-installer.sh <fcu_config_dir>
#
# Environment (defaults are the paths pep's FCU tool settings point at):
#   FCU_PACKAGE_DIR  where the FCU archive is unpacked   (/opt/fcu-package)
#   FCU_VENV_DIR     the Python virtual environment      (/opt/fcu-ve)
#   PYTHON           interpreter that creates the venv   (python3)

set -euo pipefail

FCU_PACKAGE_DIR="${FCU_PACKAGE_DIR:-/opt/fcu-package}"
FCU_VENV_DIR="${FCU_VENV_DIR:-/opt/fcu-ve}"
PYTHON="${PYTHON:-python3}"

installer_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

fail() {
    echo "ERROR: $*" >&2
    exit 1
}

if [[ $# -ne 1 || "$1" == -h || "$1" == --help ]]; then
    echo "Usage: $(basename "$0") <fcu_config_dir>" >&2
    [[ $# -eq 1 ]] && exit 0
    echo "Please provide the relative fcu configuration directory path!" >&2
    exit 1
fi

config_dir="$1"
[[ "$config_dir" == /* ]] || config_dir="$PWD/$1"

# Never install from a folder the validator rejects: a broken CA or an
# unsupported fcu.yml mode would only show up at the first gateway.
"$installer_dir/fcu-config-validator.sh" "$config_dir" || fail "FCU configuration is not valid, nothing installed."

echo "Installing FCU configuration: $config_dir"

echo "Extracting the fcu archive to $FCU_PACKAGE_DIR"
mkdir -p "$FCU_PACKAGE_DIR"
unzip -q -o "$config_dir/factory_configurator_utility.zip" -d "$FCU_PACKAGE_DIR"

echo "Setting up virtual environment to $FCU_VENV_DIR"
"$PYTHON" -m venv "$FCU_VENV_DIR"
pip="$FCU_VENV_DIR/bin/pip"
"$pip" install --quiet --upgrade pip

echo "Installing the fcu python packages from $FCU_PACKAGE_DIR/fcu"
"$pip" install --upgrade fcu -f "$FCU_PACKAGE_DIR/fcu" || fail "Failed to install FCU packages!"
echo "FCU tool is installed successfully!"

echo "Installing the python requirements for ft_demo tool..."
"$pip" install --upgrade -r "$FCU_PACKAGE_DIR/ft_demo/sources/requirements.txt" \
    || fail "Failed to install the ft_demo requirements!"

echo "Copying the fcu.yml provided in the configuration_dir=$config_dir"
mkdir -p "$FCU_PACKAGE_DIR/config"
cp "$config_dir/fcu.yml" "$FCU_PACKAGE_DIR/config/fcu.yml"

echo "CA is provided, copying it to fcu keystore"
mkdir -p "$FCU_PACKAGE_DIR/keystore"
cp "$config_dir/keystore/CA_cert.pem" "$FCU_PACKAGE_DIR/keystore/fcu.crt"
# The CA key signs every device certificate: readable by its owner only.
install -m 600 "$config_dir/keystore/CA_private.pem" "$FCU_PACKAGE_DIR/keystore/fcu_private_key.pem"

update_auth_cert="update-auth-certificate.der"
if [[ -e "$config_dir/$update_auth_cert" ]]; then
    echo "Found firmware update certificate, adding this to the fcu resources"
    mkdir -p "$FCU_PACKAGE_DIR/resources"
    cp "$config_dir/$update_auth_cert" "$FCU_PACKAGE_DIR/resources/$update_auth_cert"
else
    echo "WARN, No update auth certificate found!"
fi

echo "FCU is successfully installed!"
