# pep provisioning server image.
#
#   docker-compose build                                   pep's own injector
#   docker-compose build --build-arg fcu_config=fcu_config  with the vendor FCU
#
# fcu_config is a folder inside the build context laid out as
# fcu-config-validator.sh describes; the build fails when it is not valid.
# Written for the classic builder too (docker-compose 1.29 does not use
# BuildKit by default): no RUN --mount, no heredocs.

# The runtime base can be pinned to an older Ubuntu (e.g. 25-jre-jammy) when
# a vendor FCU release needs an older Python than the default base ships.
# Java 25: AOT start-up cache and compact object headers (pep is compiled for 17).
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

# ---------------------------------------------------------------------------
FROM maven:3-eclipse-temurin-25 AS build
WORKDIR /build
# Dependencies first, so a source change does not download them again.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -DskipTests package

# ---------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime-base
ARG fcu_config=""
ENV FCU_PACKAGE_DIR=/opt/fcu-package \
    FCU_VENV_DIR=/opt/fcu-ve
# curl: healthcheck. openssl: the validator. Python and unzip only when the
# vendor FCU goes in; the FCU's venv is created in the next stage from the
# same Python layer, so its interpreter links stay valid in the final image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl openssl ${fcu_config:+python3 python3-venv unzip} \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 pep \
 && useradd --system --uid 10001 --gid pep --home-dir /app --no-create-home --shell /usr/sbin/nologin pep

# ---------------------------------------------------------------------------
# Installs the vendor FCU when fcu_config is given. Only this stage sees the
# configuration folder as a whole; the final image gets the installed FCU.
FROM runtime-base AS fcu-install
ARG fcu_config=""
COPY fcu-config-validator.sh fcu-installer.sh /tmp/fcu-installer/
COPY ${fcu_config:-docker/no-fcu-config} /tmp/fcu_config/
RUN mkdir -p "$FCU_PACKAGE_DIR" "$FCU_VENV_DIR" \
 && if [ -n "$fcu_config" ]; then /tmp/fcu-installer/fcu-installer.sh /tmp/fcu_config; fi

# ---------------------------------------------------------------------------
FROM runtime-base
LABEL org.opencontainers.image.title="pep" \
      org.opencontainers.image.description="Factory provisioning server for IoT gateways"
WORKDIR /app

# Empty folders when the image is built without the vendor FCU.
COPY --from=fcu-install --chown=pep:pep /opt/fcu-package /opt/fcu-package
COPY --from=fcu-install /opt/fcu-ve /opt/fcu-ve
COPY --from=build /build/target/pep.jar /app/pep.jar
# The JVM's options (as bin/lib/jvm.bash sets them for bin/pep, which says why): memory for a small
# PC, and the AOT cache trained below by one start of pep (stopped a second after it is up; the JVM
# writes the cache as it exits). Training and use need the same options, hence PEP_JVM_MEMORY in both.
ENV PEP_JVM_MEMORY="-Xms24m -Xmx192m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1 -Dvertx.disableDnsResolver=true -XX:+UseCompactObjectHeaders --sun-misc-unsafe-memory-access=allow -XX:TrimNativeHeapInterval=5000" \
    MALLOC_ARENA_MAX=2
RUN mkdir -p /tmp/aot-training/routes \
 && PEP_SERVER_PORT=0 PEP_DATA_DIR=/tmp/aot-training PEP_ROUTES_DIR=/tmp/aot-training/routes \
    java $PEP_JVM_MEMORY -XX:AOTCacheOutput=/app/pep.jar.aot -Xlog:aot*=off -Xlog:cds*=off \
         -Dcamel.main.duration-max-seconds=1 -jar /app/pep.jar >/tmp/aot-training.log 2>&1; \
    grep -q '^AOTCache creation is complete' /tmp/aot-training.log || { cat /tmp/aot-training.log; exit 1; }; \
    rm -rf /tmp/aot-training /tmp/aot-training.log
ENV PEP_JAVA_OPTS="$PEP_JVM_MEMORY -XX:AOTCache=/app/pep.jar.aot -Xlog:aot*=off -Xlog:cds*=off"
# bin/: pep-inject and the other launchers; the validator is there so a
# mounted configuration can be checked inside the container.
COPY bin/ /app/bin/
COPY fcu-config-validator.sh docker/entrypoint.sh /app/bin/
# pep-inject (a JVM per gateway) starts from a cache of its own, trained by one injection into a
# simulated gateway (/app/pep.jar.pep-inject.aot; bin/lib/train-tool-cache, bin/lib/launcher.bash)
RUN /app/bin/lib/train-tool-cache /app/pep.jar

# data and exports are written by pep; routes and fcu_config are read-only
# inputs that docker-compose bind-mounts from the host.
RUN mkdir -p /app/data /app/exports /app/routes /app/fcu_config \
 && chown pep:pep /app/data /app/exports

# A UTF-8 locale: Java encodes the factory tool's arguments (the serial) with it.
ENV PATH=/app/bin:$PATH \
    LANG=C.UTF-8 \
    LC_ALL=C.UTF-8 \
    PEP_SERVER_PORT=5151 \
    PEP_DATA_DIR=/app/data \
    PEP_ROUTES_DIR=/app/routes \
    PEP_EXPORT_CSV_DIR=/app/exports \
    PEP_FCU_CONFIG_DIR=/app/fcu_config

USER pep
EXPOSE 5151
VOLUME ["/app/data", "/app/exports"]

# Readiness (docs/operations.md): 200 only when the store, the factory tool and the routes are up;
# never needs a token. The https try is for pep.tls.* (its certificate names the host, not localhost).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://localhost:${PEP_SERVER_PORT}/observe/health/ready" \
     || curl -fsSk -o /dev/null "https://localhost:${PEP_SERVER_PORT}/observe/health/ready" || exit 1

ENTRYPOINT ["/app/bin/entrypoint.sh"]
