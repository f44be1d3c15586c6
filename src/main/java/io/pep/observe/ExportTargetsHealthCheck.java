package io.pep.observe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The export targets, reported but never failing readiness ({@link HealthReport#ADVISORY}):
 * gateways can still be provisioned while the share or the portal is away, and the next run
 * catches up. Drop folder writable (when drops are on); portal reachable over TCP (when uploads
 * are on; no HTTP request, so no API key leaves pep for a probe).
 */
public class ExportTargetsHealthCheck extends AbstractHealthCheck {

    public static final String ID = "export-targets";

    private final boolean csvEnabled;
    private final Path dropFolder;
    private final boolean uploadEnabled;
    private final String portalUrl;
    private final int connectTimeoutMs;

    public ExportTargetsHealthCheck(boolean csvEnabled, String dropFolder, boolean uploadEnabled, String portalUrl,
                                    int connectTimeoutMs) {
        super("pep", ID);
        this.csvEnabled = csvEnabled;
        this.dropFolder = Path.of(dropFolder);
        this.uploadEnabled = uploadEnabled;
        this.portalUrl = portalUrl;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = new ArrayList<>();
        builder.detail("csv_enabled", csvEnabled).detail("upload_enabled", uploadEnabled);
        if (csvEnabled) {
            builder.detail("drop_folder", dropFolder.toString());
            if (!Files.isDirectory(dropFolder) || !Files.isWritable(dropFolder)) {
                problems.add("drop folder " + dropFolder + " is not a writable folder (pep.export.csv.dir)");
            }
        }
        if (uploadEnabled) {
            builder.detail("portal", portalUrl);
            String unreachable = portalUnreachable();
            if (unreachable != null) {
                problems.add(unreachable);
            }
        }
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.down().message(String.join("; ", problems));
        }
    }

    private String portalUnreachable() {
        try {
            URI uri = URI.create(portalUrl);
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port), connectTimeoutMs);
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return "portal " + portalUrl + " is not reachable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "; pep.portal.url)";
        }
    }
}
