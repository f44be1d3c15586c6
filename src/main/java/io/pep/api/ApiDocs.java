package io.pep.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
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

    /** The files of the page: name in /docs/ui/{name} → classpath resource and content type. */
    static final Map<String, JarFiles.File> ASSETS = Map.of(
            "swagger-ui.css", new JarFiles.File(SWAGGER_UI + "swagger-ui.css", CSS),
            "index.css", new JarFiles.File(SWAGGER_UI + "index.css", CSS),
            "swagger-ui-bundle.js", new JarFiles.File(SWAGGER_UI + "swagger-ui-bundle.js", JS),
            "swagger-ui-standalone-preset.js", new JarFiles.File(SWAGGER_UI + "swagger-ui-standalone-preset.js", JS),
            "swagger-initializer.js", new JarFiles.File("docs/swagger-initializer.js", JS),
            "favicon-32x32.png", new JarFiles.File(SWAGGER_UI + "favicon-32x32.png", PNG),
            "favicon-16x16.png", new JarFiles.File(SWAGGER_UI + "favicon-16x16.png", PNG));

    private final JarFiles files = new JarFiles();
    private volatile byte[] openApiJson;

    /** GET /docs and /docs/: the Swagger UI page. */
    public void page(Exchange exchange) {
        files.answer(exchange, new JarFiles.File("docs/index.html", "text/html; charset=utf-8"));
    }

    /** GET /docs/openapi.yaml: the document as written. */
    public void openApiYaml(Exchange exchange) {
        files.answer(exchange, new JarFiles.File(OPENAPI_YAML, "application/yaml; charset=utf-8"));
    }

    /** GET /docs/openapi.json: the same document as JSON. */
    public void openApiJson(Exchange exchange) {
        if (openApiJson == null) {
            openApiJson = toJson(files.read(OPENAPI_YAML)); // at worst converted twice, never wrong
        }
        JarFiles.answer(exchange, openApiJson, "application/json; charset=utf-8");
    }

    /** GET /docs/ui/{asset}: one of {@link #ASSETS}; anything else is 404 {@code Not found!}. */
    public void asset(Exchange exchange) {
        files.answer(exchange, JarFiles.requested(exchange, ASSETS));
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
