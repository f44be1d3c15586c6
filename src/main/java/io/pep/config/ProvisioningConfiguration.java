package io.pep.config;

import io.pep.api.ApiRequest;
import io.pep.api.ProblemResponse;
import io.pep.lookup.EnrollmentPages;
import io.pep.lookup.IdentityLookup;
import io.pep.provisioning.FactoryTool;
import io.pep.provisioning.FccWarnings;
import io.pep.provisioning.FactoryToolExecutor;
import io.pep.provisioning.FactoryToolOutcome;
import io.pep.provisioning.IdentityRequest;
import io.pep.provisioning.IdentityView;
import io.pep.provisioning.KnownSerials;
import io.pep.provisioning.Reservations;
import io.pep.provisioning.ToolSlots;
import io.vertx.core.VertxOptions;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** The beans the API and provisioning routes call, configured from {@code pep.*} properties. */
public class ProvisioningConfiguration implements CamelConfiguration {

    private final FccWarnings fccWarnings = new FccWarnings();

    @BindToRegistry("apiRequest")
    public ApiRequest apiRequest() {
        return new ApiRequest();
    }

    @BindToRegistry("problemResponse")
    public ProblemResponse problemResponse() {
        return new ProblemResponse();
    }

    @BindToRegistry("identityRequests")
    public IdentityRequest.Validator identityRequests(
            @PropertyInject("pep.defaults.api-address") String apiAddress,
            @PropertyInject("pep.defaults.gateway-services-address") String gatewayServicesAddress,
            @PropertyInject("pep.defaults.hardware-version") String hardwareVersion,
            @PropertyInject("pep.defaults.radio-config") String radioConfig,
            @PropertyInject("pep.defaults.led-config") String ledConfig,
            @PropertyInject("pep.defaults.category") String category) {
        return new IdentityRequest.Validator(new IdentityRequest.Defaults(apiAddress, gatewayServicesAddress,
                hardwareVersion, radioConfig, ledConfig, category));
    }

    @BindToRegistry("factoryTool")
    public FactoryTool factoryTool(
            @PropertyInject(value = "pep.tool.mode", defaultValue = "exec") String mode,
            @PropertyInject("pep.tool.executable") String executable,
            @PropertyInject(value = "pep.tool.args", defaultValue = "") String arguments,
            @PropertyInject(value = "pep.tool.env", defaultValue = "") String environment) {
        return new FactoryTool(mode, executable, arguments, environment);
    }

    @BindToRegistry("factoryToolExecutor")
    public FactoryToolExecutor factoryToolExecutor(
            @PropertyInject(value = "pep.tool.env", defaultValue = "") String environment,
            @PropertyInject(value = "pep.tool.kill-grace", defaultValue = "2000") long killGraceMs) {
        return new FactoryToolExecutor(FactoryTool.parseEnvironment(environment), killGraceMs);
    }

    @BindToRegistry("fccWarnings")
    public FccWarnings fccWarnings() {
        return fccWarnings;
    }

    @BindToRegistry("toolOutcome")
    public FactoryToolOutcome toolOutcome() {
        return new FactoryToolOutcome(fccWarnings);
    }

    @BindToRegistry("toolSlots")
    public ToolSlots toolSlots(
            @PropertyInject(value = "pep.tool.max-concurrent", defaultValue = "8") int maxConcurrent,
            @PropertyInject(value = "pep.tool.queue-wait", defaultValue = "10000") long queueWaitMs) {
        return new ToolSlots(maxConcurrent, queueWaitMs);
    }

    @BindToRegistry("knownSerials")
    public KnownSerials knownSerials() {
        return new KnownSerials();
    }

    @BindToRegistry("identityView")
    public IdentityView identityView() {
        return new IdentityView();
    }

    @BindToRegistry("reservations")
    public Reservations reservations(
            @PropertyInject(value = "pep.reservation.stale-after", defaultValue = "600000") long staleAfterMs) {
        return new Reservations(staleAfterMs);
    }

    @BindToRegistry("enrollmentPages")
    public EnrollmentPages enrollmentPages() {
        return new EnrollmentPages();
    }

    @BindToRegistry("identityLookup")
    public IdentityLookup identityLookup() {
        return new IdentityLookup();
    }

    /** Vert.x runs each HTTP request's route on a worker thread; this many may block at once. */
    @BindToRegistry("vertxOptions")
    public VertxOptions vertxOptions(
            @PropertyInject(value = "pep.server.worker-threads", defaultValue = "40") int workerThreads) {
        return new VertxOptions().setWorkerPoolSize(workerThreads);
    }
}
