#!/usr/bin/env bats
# docker/entrypoint.sh: picks the factory tool, then hands over to java.

setup() {
    ENTRYPOINT="$BATS_TEST_DIRNAME/../../docker/entrypoint.sh"
    WORK="$BATS_TEST_TMPDIR"
    export FCU_PACKAGE_DIR="$WORK/opt/fcu-package"
    export FCU_VENV_DIR="$WORK/opt/fcu-ve"
    export PEP_JAR="$WORK/app/pep.jar"
    unset PEP_TOOL_KIND PEP_TOOL_EXECUTABLE PEP_TOOL_ARGS PEP_TOOL_ENV PEP_TOOL_WORKING_DIR
    mkdir -p "$WORK/fake-bin" "$FCU_PACKAGE_DIR" "$FCU_VENV_DIR"
    # Stand-in java: shows what pep would be started with.
    cat > "$WORK/fake-bin/java" <<'FAKE'
#!/usr/bin/env bash
echo "java $*"
env | grep '^PEP_TOOL_' | sort
echo "LOCALE=${LC_ALL:-${LC_CTYPE:-${LANG:-}}}"
FAKE
    chmod +x "$WORK/fake-bin/java"
    PATH="$WORK/fake-bin:$PATH"
}

install_fake_fcu() {
    mkdir -p "$FCU_PACKAGE_DIR/ft_demo/sources"
    touch "$FCU_PACKAGE_DIR/ft_demo/sources/ft_demo.py"
}

@test "without the vendor FCU pep keeps its own injector" {
    run "$ENTRYPOINT" --some-arg
    [ "$status" -eq 0 ]
    # the exit on OutOfMemoryError comes before PEP_JAVA_OPTS, so replacing them keeps it
    [ "${lines[0]}" = "java -Dfile.encoding=UTF-8 -XX:+ExitOnOutOfMemoryError -jar $PEP_JAR --some-arg" ]
    [[ "$output" != *PEP_TOOL_* ]]
}

@test "pep runs with a UTF-8 locale even when started without one (serials reach the tool byte for byte)" {
    run env -u LANG -u LC_ALL -u LC_CTYPE "$ENTRYPOINT"
    [ "$status" -eq 0 ]
    [[ "$output" == *"LOCALE=C.UTF-8"* ]]
    LANG=en_US.UTF-8 run env -u LC_ALL -u LC_CTYPE "$ENTRYPOINT"
    [[ "$output" == *"LOCALE=en_US.UTF-8"* ]]
}

@test "with the vendor FCU installed pep runs ft_demo as the old tool did" {
    install_fake_fcu
    run "$ENTRYPOINT"
    [ "$status" -eq 0 ]
    [[ "$output" == *"PEP_TOOL_EXECUTABLE=$FCU_VENV_DIR/bin/python3"* ]]
    [[ "$output" == *"PEP_TOOL_ARGS=$FCU_PACKAGE_DIR/ft_demo/sources/ft_demo.py inject --endpoint-name={serialNumber} --serial-number={serialNumber} tcp --ip={ip} --port={port}"* ]]
    [[ "$output" == *"PEP_TOOL_ENV=FCU_HOME_DIR=$FCU_PACKAGE_DIR,LC_ALL=C.UTF-8,LANG=C.UTF-8"* ]]
    [[ "$output" == *"PEP_TOOL_WORKING_DIR=$FCU_PACKAGE_DIR"* ]]
    [[ "$output" == *"PEP_TOOL_KIND=ft-demo"* ]]
}

@test "an explicit PEP_TOOL_EXECUTABLE wins over the installed FCU" {
    install_fake_fcu
    PEP_TOOL_EXECUTABLE=/app/bin/pep-inject run "$ENTRYPOINT"
    [ "$status" -eq 0 ]
    [[ "$output" == *"PEP_TOOL_EXECUTABLE=/app/bin/pep-inject"* ]]
    [[ "$output" != *PEP_TOOL_ARGS* ]]
    [[ "$output" != *PEP_TOOL_KIND* ]]
}
