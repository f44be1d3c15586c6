package io.pep.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * The API's documentation: the OpenAPI 3 document ({@code docs/openapi.yaml}, also as JSON: the very
 * document pep routes, see {@link OpenApiRoutes}) and a
 * page showing it with Swagger UI from the bundled webjar, so it works without internet access.
 * Only the files named in {@link #ASSETS} are ever served: the name from the URL is a key into that
 * table, never part of a path, so no request can reach another file.
 */
public class ApiDocs {

    static final String OPENAPI_YAML = "docs/openapi.yaml";
    /** The webjar's folder, named by its version: read from the webjar, so the pom alone names it. */
    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/" + webjarVersion("swagger-ui") + "/";
    private static final String CSS = "text/css; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String PNG = "image/png";

    /** The files of the page: name in /docs/ui/{name} → [classpath resource, content type]. */
    static final Map<String, String[]> ASSETS = Map.of(
            "swagger-ui.css", new String[] {SWAGGER_UI + "swagger-ui.css", CSS},
            "index.css", new String[] {SWAGGER_UI + "index.css", CSS},
            "swagger-ui-bundle.js", new String[] {SWAGGER_UI + "swagger-ui-bundle.js", JS},
            "swagger-ui-standalone-preset.js", new String[] {SWAGGER_UI + "swagger-ui-standalone-preset.js", JS},
            "swagger-initializer.js", new String[] {"docs/swagger-initializer.js", JS},
            "favicon-32x32.png", new String[] {SWAGGER_UI + "favicon-32x32.png", PNG},
            "favicon-16x16.png", new String[] {SWAGGER_UI + "favicon-16x16.png", PNG});

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** GET /docs and /docs/: the Swagger UI page. */
    public void page(Exchange exchange) {
        answer(exchange, resource("docs/index.html"), "text/html; charset=utf-8");
    }

    /** GET /docs/openapi.yaml: the document as written. */
    public void openApiYaml(Exchange exchange) {
        answer(exchange, resource(OPENAPI_YAML), "application/yaml; charset=utf-8");
    }

    /** GET /docs/openapi.json: the same document as JSON. */
    public void openApiJson(Exchange exchange) {
        byte[] yaml = resource(OPENAPI_YAML); // not inside computeIfAbsent: no nested update of the cache
        answer(exchange, cache.computeIfAbsent("openapi.json", key -> toJson(yaml)), "application/json; charset=utf-8");
    }

    /** GET /docs/ui/{asset}: one of {@link #ASSETS}; anything else is 404 {@code Not found!}. */
    public void asset(Exchange exchange) {
        // from the path itself: the {asset} header can be overridden by a query parameter of that name
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        String name = path == null ? null : path.substring(path.lastIndexOf('/') + 1);
        String[] asset = name == null ? null : ASSETS.get(name);
        if (asset == null) {
            throw new io.pep.identity.NotFound();
        }
        answer(exchange, resource(asset[0]), asset[1]);
    }

    private void answer(Exchange exchange, byte[] body, String contentType) {
        var out = exchange.getMessage();
        ApiRequest.dropInboundHeaders(out);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        out.setHeader("Cache-Control", "no-cache");
        out.setBody(body);
    }

    private byte[] resource(String path) {
        return cache.computeIfAbsent(path, key -> {
            try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(key)) {
                if (in == null) {
                    throw new IllegalStateException("Missing resource " + key + " (is the swagger-ui webjar on the classpath?)");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The version of an org.webjars artifact on the classpath, from the pom.properties Maven packs in it. */
    static String webjarVersion(String artifactId) {
        String path = "META-INF/maven/org.webjars/" + artifactId + "/pom.properties";
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + path + " (is the " + artifactId + " webjar on the classpath?)");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] toJson(byte[] yaml) {
        try {
            JsonNode document = new YAMLMapper().readTree(yaml);
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("docs/openapi.yaml is not valid YAML", e);
        }
    }
}
