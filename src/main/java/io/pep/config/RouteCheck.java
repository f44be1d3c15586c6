package io.pep.config;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.DefaultRoutesCollector;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code pep check-routes [DIR]}: a dry run of what pep does with a site's routes at start, without
 * starting anything. The route files are found and read exactly as Camel main reads them when pep
 * starts ({@code camel.main.routes-include-pattern} / {@code -exclude-pattern}, the YAML DSL loader),
 * with the site's properties, the hook guard pep installs ({@link HookRouteGuard}) and the routes
 * pep makes from {@code camel.route-template[…]} keys, into a Camel context that is built but never
 * started: no HTTP port, no store, no data folder, no timer, no bean of pep. On top of that model it
 * checks what Camel would only find while starting routes ({@link RouteModelChecks}): duplicate
 * route ids, placeholders no property answers, endpoints of components pep does not have, a hook
 * endpoint that no route consumes. Every problem is one line: where (file:line) and what to do.
 */
public final class RouteCheck {

    /** One finding: where (a file, with its line when known) and what is wrong and what to do. */
    record Problem(String where, String what) {
        @Override
        public String toString() {
            return where + ": " + what;
        }
    }

    private final Path folder;
    private final String operatorFile;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    /**
     * @param folder       the site routes folder (pep.routes.dir); its {@code application.properties},
     *                     when it has one, is the site's snippet and overrides the operator's file
     * @param operatorFile the operator's properties as pep reads them ({@code PEP_CONFIG_FILE} or
     *                     {@code application.properties})
     */
    public RouteCheck(Path folder, String operatorFile) {
        this.folder = folder.toAbsolutePath().normalize();
        this.operatorFile = operatorFile;
    }

    /** The command line's own set-up: the problems are the output, Camel's context lines would only bury them. */
    public static void quietLogs() {
        Configurator.setLevel("org.apache.camel", Level.WARN);
        Configurator.setLevel(HookRouteGuard.class.getName(), Level.WARN);
    }

    /** Runs the check, prints one line per problem and a last line; 0 when pep would start with these routes. */
    public static int run(String[] args, String operatorFile, PrintStream out) {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            out.println("usage: pep check-routes [DIR]   (DIR: the site routes folder; default pep.routes.dir)");
            return 2;
        }
        Path folder = args.length == 1 ? Path.of(args[0]) : Path.of(configuredFolder(operatorFile));
        RouteCheck check = new RouteCheck(folder, operatorFile);
        List<Problem> problems = check.problems();
        problems.forEach(out::println);
        if (problems.isEmpty()) {
            out.println("check-routes: " + check.folder + " is fine: pep would start with these routes");
            return 0;
        }
        out.println("check-routes: " + problems.size() + " problem(s) in " + check.folder
                + ": pep would not start (or would refuse gateways) with these routes");
        return 1;
    }

    /** Every problem found; empty when pep would start with these routes. */
    public List<Problem> problems() {
        problems.clear();
        if (!Files.isDirectory(folder)) {
            problems.add(new Problem(folder.toString(), "not a folder: pep does not start without its routes folder;"
                    + " create it (it may stay empty) or correct PEP_ROUTES_DIR / pep.routes.dir"));
            return problems;
        }
        DefaultCamelContext context = new DefaultCamelContext(false);
        try {
            context.build();
            context.setAutoStartup(false);
            context.setSourceLocationEnabled(true);
            context.getPropertiesComponent().setLocation(propertyLocations());
            Properties override = new Properties();
            override.setProperty("pep.routes.dir", folder.toString());
            context.getPropertiesComponent().setOverrideProperties(override);
            String hook = property(context, "pep.hooks.before-provision");
            context.getCamelContextExtension().getContextPlugin(Model.class)
                    .addModelLifecycleStrategy(new HookRouteGuard(context, hook));
            RouteModelChecks checks = new RouteModelChecks(context, hook, folder.toString());
            List<RouteModelChecks.Loaded> loaded = load(context, checks);
            loaded.addAll(templatesFromProperties(context));
            problems.addAll(checks.check(loaded, problems.isEmpty()));
        } finally {
            context.stop();
        }
        return problems;
    }

    /**
     * Each route file matched as Camel main matches them at start, in its order: every file's routes
     * (route configurations first), then every file's templated routes, as Camel main adds them.
     */
    private List<RouteModelChecks.Loaded> load(DefaultCamelContext context, RouteModelChecks checks) {
        List<RouteModelChecks.Loaded> loaded = new ArrayList<>();
        String include = property(context, "camel.main.routes-include-pattern");
        String exclude = property(context, "camel.main.routes-exclude-pattern");
        Map<String, List<RoutesBuilder>> files = new LinkedHashMap<>();
        for (Resource resource : new DefaultRoutesCollector().findRouteResourcesFromDirectory(context, exclude, include)) {
            String where = RouteModelChecks.shortName(resource.getLocation());
            try {
                texts.put(where, text(resource));
                List<RoutesBuilder> builders = List.copyOf(PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource));
                files.put(where, builders);
                for (RoutesBuilder builder : builders) {
                    if (builder instanceof RouteConfigurationsBuilder configurations) {
                        context.addRoutesConfigurations(configurations);
                    }
                }
            } catch (Exception e) {
                problems.add(RouteModelChecks.loadingProblem(where, texts.get(where), e));
            }
        }
        files.forEach((where, builders) -> added(context, where, loaded, builders, RoutesBuilder::addRoutesToCamelContext));
        files.forEach((where, builders) -> added(context, where, loaded, builders, RoutesBuilder::addTemplatedRoutesToCamelContext));
        files.forEach((where, builders) -> {
            // a file's route templates are known once its routes were added; their parameters are no properties
            Set<String> parameters = new TreeSet<>();
            builders.stream().filter(RouteBuilder.class::isInstance).map(RouteBuilder.class::cast)
                    .forEach(routes -> routes.getRouteTemplateCollection().getRouteTemplates()
                            .forEach(template -> parameters.addAll(RouteModelChecks.templateParameters(template))));
            problems.addAll(checks.placeholders(where, texts.get(where), parameters));
        });
        return loaded;
    }

    private interface Adding {
        void add(RoutesBuilder builder, DefaultCamelContext context) throws Exception;
    }

    /** Adds a file's routes (or its templated routes) and notes every route definition that came with them. */
    private void added(DefaultCamelContext context, String where, List<RouteModelChecks.Loaded> loaded,
            List<RoutesBuilder> builders, Adding adding) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (RoutesBuilder builder : builders) {
            Set<RouteDefinition> before = Collections.newSetFromMap(new IdentityHashMap<>());
            before.addAll(model.getRouteDefinitions());
            try {
                adding.add(builder, context);
            } catch (Exception e) {
                problems.add(RouteModelChecks.loadingProblem(where, texts.get(where), e));
                continue;
            }
            Set<RouteDefinition> added = Collections.newSetFromMap(new IdentityHashMap<>());
            model.getRouteDefinitions().stream().filter(route -> !before.contains(route)).forEach(added::add);
            added.stream().sorted(Comparator.comparingInt(RouteDefinition::getLineNumber))
                    .forEach(route -> loaded.add(new RouteModelChecks.Loaded(route, where)));
        }
    }

    /** The routes pep makes at start from {@code camel.route-template[<route id>].<parameter>} keys. */
    private List<RouteModelChecks.Loaded> templatesFromProperties(DefaultCamelContext context) {
        Map<String, Map<String, Object>> byRoute = new LinkedHashMap<>();
        Properties all = context.getPropertiesComponent().loadProperties();
        Set<String> keys = new TreeSet<>(all.stringPropertyNames());
        for (String key : keys) {
            if (key.startsWith("camel.route-template[") && key.indexOf("].") > 0) {
                String routeId = key.substring("camel.route-template[".length(), key.indexOf("]."));
                String parameter = key.substring(key.indexOf("].") + 2);
                try {
                    byRoute.computeIfAbsent(routeId, id -> new LinkedHashMap<>())
                            .put(parameter, context.resolvePropertyPlaceholders(all.getProperty(key)));
                } catch (RuntimeException e) {
                    problems.add(new Problem(propertiesFile() + " (" + key + ")", e.getMessage()
                            + ": add the missing property, or write {{<name>:<default>}}"));
                }
            }
        }
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteModelChecks.Loaded> loaded = new ArrayList<>();
        byRoute.forEach((routeId, parameters) -> {
            String where = propertiesFile() + " (camel.route-template[" + routeId + "])";
            Object templateId = parameters.remove("template-id");
            Object camelCase = parameters.remove("templateId");
            templateId = templateId != null ? templateId : camelCase;
            if (templateId == null) {
                problems.add(new Problem(where, "no template-id: add camel.route-template[" + routeId
                        + "].template-id = <a template of routes/hook-templates.camel.yaml>"));
                return;
            }
            try {
                String id = model.addRouteFromTemplate(routeId, templateId.toString(), parameters);
                RouteDefinition route = model.getRouteDefinition(id);
                if (route != null) {
                    loaded.add(new RouteModelChecks.Loaded(route, where));
                }
            } catch (Exception e) {
                problems.add(RouteModelChecks.loadingProblem(where, null, e));
            }
        });
        return loaded;
    }

    private static String text(Resource resource) throws java.io.IOException {
        try (java.io.InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private String propertiesFile() {
        Path snippet = folder.resolve("application.properties");
        return Files.isRegularFile(snippet) ? snippet.toString() : operatorFile;
    }

    private String propertyLocations() {
        return "file:" + folder.resolve("application.properties") + ";optional=true,file:" + operatorFile
                + ";optional=true,classpath:application.properties;optional=true";
    }

    private static String property(DefaultCamelContext context, String key) {
        return context.resolvePropertyPlaceholders("{{" + key + "}}");
    }

    /** pep.routes.dir as pep would read it: the environment, then the operator's file, then the default. */
    private static String configuredFolder(String operatorFile) {
        DefaultCamelContext context = new DefaultCamelContext(false);
        try {
            context.build();
            context.getPropertiesComponent().setLocation("file:" + operatorFile
                    + ";optional=true,classpath:application.properties;optional=true");
            return property(context, "pep.routes.dir");
        } finally {
            context.stop();
        }
    }
}
