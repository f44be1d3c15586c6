#!/usr/bin/env bats
# An OutOfMemoryError ends pep's JVM at once, so its supervisor restarts it: bin/pep's options
# (bin/lib/jvm.bash), the image's (Dockerfile, docker/entrypoint.sh) and the factory tools' launcher
# carry -XX:+ExitOnOutOfMemoryError, and every shipped way to run pep restarts it when it exits.

setup() {
    REPO="$BATS_TEST_DIRNAME/../.."
    PROBE="$BATS_TEST_DIRNAME/fixtures/OutOfMemoryProbe.java"
}

@test "pep's JVM options end the process on an OutOfMemoryError in any thread" {
    # shellcheck disable=SC2016 # expanded by the inner bash
    run timeout 50 bash -c 'source "$1/bin/lib/jvm.bash"
        exec "$PEP_JAVA" "${PEP_JVM_OPTS[@]}" -XX:TieredStopAtLevel=1 -Xmx32m "$2"' _ "$REPO" "$PROBE"
    # 124: timeout killed a JVM that lived on after its worker thread died
    [ "$status" -ne 124 ]
    [ "$status" -ne 0 ]
    [[ "$output" == *"Terminating due to java.lang.OutOfMemoryError"* ]]
    [[ "$output" != *"still alive"* ]]
}

@test "without the option the same JVM lives on (the probe can tell the difference)" {
    # (the worker fills 32 MB within a second or two; 15 s leaves room on a busy machine)
    run timeout 15 java -XX:TieredStopAtLevel=1 -Xmx32m "$PROBE"
    [ "$status" -eq 124 ]
    [[ "$output" == *"still alive"* ]]
}

@test "the image's entrypoint and the factory tools' launcher exit on OutOfMemoryError too" {
    grep -q -- '-XX:+ExitOnOutOfMemoryError' "$REPO/docker/entrypoint.sh"
    grep -q -- '-XX:+ExitOnOutOfMemoryError' "$REPO/bin/lib/launcher.bash"
}

@test "every shipped way to run pep restarts it when it exits" {
    grep -qx 'Restart=always' "$REPO/deploy/systemd/pep.service"
    grep -qx 'ExecStart=/opt/pep/bin/pep' "$REPO/deploy/systemd/pep.service"
    run docker-compose -f "$REPO/docker-compose.yml" --profile scale config
    [ "$status" -eq 0 ]
    # each pep service (the single one and the scaled pair) has a restart policy that restarts it
    for service in pep-api-server pep-1 pep-2; do
        policy=$(printf '%s\n' "$output" | awk -v s="  $service:" '$0==s {in_s=1; next}
            in_s && /^  [^ ]/ {in_s=0} in_s && $1=="restart:" {print $2}')
        [[ "$policy" == always || "$policy" == unless-stopped || "$policy" == on-failure ]]
    done
}
