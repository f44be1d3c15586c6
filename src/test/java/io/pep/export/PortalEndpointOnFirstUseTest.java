package io.pep.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pep.PepMain;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.junit.jupiter.api.Test;

/**
 * The portal's HTTP endpoint (HTTP client, TLS context, the JDK's trust store read) is made on the
 * first upload, not at start: a pep with uploads off never pays for it (its classes and idle
 * memory). PortalUploadTest and the other upload tests show uploads still work.
 */
class PortalEndpointOnFirstUseTest {

    @Test
    void noHttpClientEndpointAtStart() throws Exception {
        PepMain pep = PepMain.start(Map.of());
        try {
            List<String> clients = pep.main().getCamelContext().getEndpoints().stream()
                    .map(Endpoint::getEndpointUri)
                    .filter(uri -> uri.startsWith("http:") || uri.startsWith("https:"))
                    .toList();
            assertEquals(List.of(), clients);
        } finally {
            pep.stop();
        }
    }
}
