#!/usr/bin/env bash
#
# Starts pep inside the container. An image built with the fcu_config build
# argument holds the vendor FCU; pep then runs FCU's ft_demo as its factory
# tool unless PEP_TOOL_EXECUTABLE is set explicitly. Otherwise pep's own
# injector (its built-in default) is used.

set -euo pipefail

FCU_PACKAGE_DIR="${FCU_PACKAGE_DIR:-/opt/fcu-package}"
FCU_VENV_DIR="${FCU_VENV_DIR:-/opt/fcu-ve}"
PEP_JAR="${PEP_JAR:-/app/pep.jar}"

ft_demo="$FCU_PACKAGE_DIR/ft_demo/sources/ft_demo.py"

if [[ -f "$ft_demo" && -z "${PEP_TOOL_EXECUTABLE:-}" ]]; then
    # the kind decides pep's start-up and readiness checks (the FCU config folder, fcu-config-validator.sh's rules)
    export PEP_TOOL_KIND="${PEP_TOOL_KIND:-ft-demo}"
    export PEP_TOOL_EXECUTABLE="$FCU_VENV_DIR/bin/python3"
    export PEP_TOOL_ARGS="$ft_demo inject --endpoint-name={serialNumber} --serial-number={serialNumber} tcp --ip={ip} --port={port}"
    # FCU finds its config, keystore and resources through FCU_HOME_DIR; its
    # Python packages expect a UTF-8 locale (the old image's cbor2 error).
    export PEP_TOOL_ENV="FCU_HOME_DIR=$FCU_PACKAGE_DIR,LC_ALL=C.UTF-8,LANG=C.UTF-8"
    # The FCU folder is the one place in the image the tool may write to.
    export PEP_TOOL_WORKING_DIR="${PEP_TOOL_WORKING_DIR:-$FCU_PACKAGE_DIR}"
    echo "Factory tool: vendor FCU ft_demo from $FCU_PACKAGE_DIR"
fi

# Serials reach the factory tool byte for byte only with a UTF-8 locale (the image sets
# LANG/LC_ALL; a run with -e LANG=… or an empty environment must not lose it).
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
  *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;;
  *) export LC_ALL=C.UTF-8 ;;
esac

# pep-inject runs once per gateway on this java: found once here (bin/lib/java.bash beside this
# script in the image), not again in every run
if [[ -f ${BASH_SOURCE[0]%/*}/lib/java.bash ]]; then
  # shellcheck source=bin/lib/java.bash
  source "${BASH_SOURCE[0]%/*}/lib/java.bash"
  pep_find_java
  export PEP_JAVA PEP_JAVA_FEATURE
fi

# exec: java becomes the container's main process and receives its signals.
# PEP_JAVA_OPTS: the image's memory and AOT cache options (Dockerfile); the exit on OutOfMemoryError
# stays even when an operator replaces them, so the restart policy takes over.
# shellcheck disable=SC2086 # a list of options
exec java -Dfile.encoding=UTF-8 -XX:+ExitOnOutOfMemoryError ${PEP_JAVA_OPTS:-} -jar "$PEP_JAR" "$@"
