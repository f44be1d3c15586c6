package io.pep.provisioning;

import io.pep.injector.FcuConfig;
import io.pep.injector.FcuConfigException;
import io.pep.injector.InjectionException;
import io.pep.injector.InjectionResult;
import io.pep.injector.Injector;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The factory tool without a process per gateway ({@code pep.tool.mode=in-process}): pep's own
 * injector called as a bean, its FCU config read once. For labs that provision at a high rate;
 * the exec path stays the default and the one used with the vendor's FCU.
 */
public class InProcessInjector {

    private final Path configFolder;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private volatile Injector injector;

    public InProcessInjector(Path configFolder, Duration connectTimeout, Duration readTimeout) {
        this.configFolder = configFolder;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** Reads and checks the config folder now (at start-up, to fail fast) instead of on first use. */
    public void load() throws FcuConfigException {
        if (injector == null) { // read without the lock: every request passes here
            synchronized (this) {
                if (injector == null) {
                    injector = new Injector(FcuConfig.load(configFolder), connectTimeout, readTimeout);
                }
            }
        }
    }

    /** Injects the gateway and returns its enrollment id; endpoint name = serial number, as ft_demo is called. */
    public String enrollmentId(IdentityRequest request) throws FcuConfigException, InjectionException {
        return inject(request).enrollmentId();
    }

    /** Injects the gateway; the result keeps FCC's and the configuration's warnings for the log. */
    public InProcessInjection inject(IdentityRequest request) throws FcuConfigException, InjectionException {
        load();
        InjectionResult result = injector.inject(request.getSerialNumber(), request.getSerialNumber(),
                request.getIp(), request.getPort());
        return new InProcessInjection(result.enrollmentId(), result.warnings(), injector.config().warnings());
    }
}
