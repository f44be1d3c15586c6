/**
 * pep's own factory tool: the FCC wire protocol ({@link io.pep.injector.FrameCodec},
 * {@link io.pep.injector.BundleCodec}), device certificate issuing
 * ({@link io.pep.injector.CertificateIssuer}), the FCU-style config folder
 * ({@link io.pep.injector.FcuConfig}, {@link io.pep.injector.DevelopmentConfig}) and the
 * injector itself ({@link io.pep.injector.Injector}, also usable in-process as a bean).
 *
 * <p>Command line ({@code bin/pep-inject}, main {@link io.pep.injector.PepInject}), compatible with
 * FCU's ft_demo: {@code inject --endpoint-name=S --serial-number=S tcp --ip=IP --port=P}.
 * <table>
 *   <caption>Environment</caption>
 *   <tr><td>PEP_FCU_CONFIG_DIR</td><td>config folder (else {@code --config-dir}, else ./fcu-config)</td></tr>
 *   <tr><td>PEP_INJECT_CONNECT_TIMEOUT_MS</td><td>TCP connect timeout, default 5000</td></tr>
 *   <tr><td>PEP_INJECT_READ_TIMEOUT_MS</td><td>longest wait for FCC's answer bytes, default 30000</td></tr>
 *   <tr><td>PEP_JAR</td><td>launcher only: the fat jar (default target/pep.jar, then ../pep.jar)</td></tr>
 * </table>
 * Exit codes: 0 injected (stdout has {@code enrollment id: A-…}), 1 internal error, 2 usage,
 * 3 config folder, 4 connection or timeout, 5 refused by FCC, 6 unreadable answer.
 */
package io.pep.injector;
