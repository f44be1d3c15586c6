package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pep.PepTestSupport;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a 400 that names the parameter, and changes nothing: no record, no tool run. */
class ValidationTest extends PepTestSupport {

    private static final String OK = "serialNumber=SN-V&ip=127.0.0.1&port=7777";

    static Stream<Arguments> badRequests() {
        String longSerial = "S".repeat(257);
        String longValue = "v".repeat(513);
        return Stream.of(
                Arguments.of("ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber=&ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber%5B%24ne%5D=x&ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber%5B%24ne%5D=&ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber%5B%24gt%5D=a&ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber=" + longSerial + "&ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber=a%0Ab&ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber=a%00b&ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber=a%09b&ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber=a&serialNumber=b&ip=127.0.0.1&port=7777", "serialNumber"),
                Arguments.of("serialNumber=SN-V&port=7777", "ip"),
                Arguments.of("serialNumber=SN-V&ip=localhost&port=7777", "ip"),
                Arguments.of("serialNumber=SN-V&ip=gateway.example.com&port=7777", "ip"),
                Arguments.of("serialNumber=SN-V&ip=1.2.3.256&port=7777", "ip"),
                Arguments.of("serialNumber=SN-V&ip=1.2.3&port=7777", "ip"),
                Arguments.of("serialNumber=SN-V&ip=" + q("$(id)") + "&port=7777", "ip"),
                Arguments.of("serialNumber=SN-V&ip=" + q("127.0.0.1;rm -rf /") + "&port=7777", "ip"),
                Arguments.of("serialNumber=SN-V&ip=" + q("::1 ::2") + "&port=7777", "ip"),
                Arguments.of("serialNumber=SN-V&ip%5B%24gt%5D=&port=7777", "ip"),
                Arguments.of("serialNumber=SN-V&ip=127.0.0.1", "port"),
                Arguments.of("serialNumber=SN-V&ip=127.0.0.1&port=0", "port"),
                Arguments.of("serialNumber=SN-V&ip=127.0.0.1&port=65536", "port"),
                Arguments.of("serialNumber=SN-V&ip=127.0.0.1&port=-1", "port"),
                Arguments.of("serialNumber=SN-V&ip=127.0.0.1&port=1e3", "port"),
                Arguments.of("serialNumber=SN-V&ip=127.0.0.1&port=" + q("80;ls"), "port"),
                Arguments.of("serialNumber=SN-V&ip=127.0.0.1&port=" + q(" 80"), "port"),
                Arguments.of("serialNumber=SN-V&ip=127.0.0.1&port=99999999999", "port"),
                Arguments.of("serialNumber=SN-V&ip=127.0.0.1&port=1&port=2", "port"),
                Arguments.of(OK + "&category=staging", "category"),
                Arguments.of(OK + "&category=" + q("production;id"), "category"),
                Arguments.of(OK + "&hardwareVersion=" + longValue, "hardwareVersion"),
                Arguments.of(OK + "&radioConfig=a%0Db", "radioConfig"),
                Arguments.of(OK + "&ledConfig=" + longValue, "ledConfig"),
                Arguments.of(OK + "&apiAddress=" + longValue, "apiAddress"),
                Arguments.of(OK + "&gatewayServicesAddress=x%0Ay", "gatewayServicesAddress"),
                Arguments.of(OK + "&verificationKey=" + longValue, "verificationKey"),
                Arguments.of(OK + "&apiAddress=a&apiAddress=b", "apiAddress"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void refusesWithA400NamingTheParameter(String query, String parameter) {
        HttpResponse<String> response = get("/v3/identity?" + query);

        assertEquals(400, response.statusCode(), query + " → " + response.body());
        assertTrue(response.body().contains("'" + parameter + "'"), "names " + parameter + ": " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void theRootPathRefusesTheSame(String query, String parameter) {
        assertEquals(400, get("/identity?" + query).statusCode(), query);
    }

    @org.junit.jupiter.api.Test
    void malformedEncodingIsRefused() {
        for (String query : new String[] {"serialNumber=%zz&ip=127.0.0.1&port=7777",
                "serialNumber=%E2%28&ip=127.0.0.1&port=7777", "serialNumber=abc%2&ip=127.0.0.1&port=7777"}) {
            assertEquals(400, rawGetStatus("/v3/identity?" + query), query);
        }
    }

    @AfterAll
    void nothingWasWrittenOrRun() {
        assertEquals(0, identities().countDocuments(), "no record was written");
        assertEquals("", toolLogText(), "the factory tool never ran");
    }
}
