package io.pep.config;

import io.pep.config.RouteCheck.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.ObjectHelper;
import org.apache.camel.util.URISupport;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * The checks of {@code pep check-routes} on the loaded route model, for what Camel would only find
 * when it starts the routes: a route id used twice, a {@code {{placeholder}}} no property (or
 * template parameter) answers, an endpoint whose component pep does not have, two routes consuming
 * one {@code direct:} endpoint, and a hook endpoint ({@code pep.hooks.before-provision}) no route
 * consumes, which pep would start with but answer every gateway with 500.
 */
final class RouteModelChecks {

    /** A route as loaded, with the file (or property) it came from. */
    record Loaded(RouteDefinition definition, String where) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");
    private static final Pattern HOOK_ROUTE = Pattern.compile("Pre-provisioning hook route '([^']+)'");
    private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+)");

    private final CamelContext context;
    private final String hook;
    private final String folder;

    RouteModelChecks(CamelContext context, String hook, String folder) {
        this.context = context;
        this.hook = hook;
        this.folder = folder;
    }

    /** @param complete false when a file failed to load: a hook route may be in it, so its absence says nothing more */
    List<Problem> check(List<Loaded> loaded, boolean complete) {
        List<Problem> problems = new ArrayList<>();
        Set<String> components = new TreeSet<>(PluginHelper.getComponentNameResolver(context).resolveNames(context));
        components.addAll(context.getComponentNames());
        Set<String> routeConfigurations = new TreeSet<>();
        context.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class).getRouteConfigurationDefinitions()
                .stream().map(configuration -> configuration.getId()).filter(java.util.Objects::nonNull).forEach(routeConfigurations::add);
        Map<String, Loaded> ids = new HashMap<>();
        Map<String, Loaded> consumers = new LinkedHashMap<>();
        Set<String> inputs = new TreeSet<>();
        for (Loaded item : loaded) {
            RouteDefinition route = item.definition();
            Loaded first = ids.putIfAbsent(route.getRouteId(), item);
            if (first != null) {
                problems.add(new Problem(at(item, route), "route id '" + route.getRouteId() + "' is already used at "
                        + at(first, first.definition()) + ": a route id may exist only once (pep does"
                        + " not start: Duplicate route ids detected); give this route another id, or replace the"
                        + " bundled file as docs/site-variations.md says (pep.routes.exclude)"));
            }
            Properties local = new Properties();
            if (route.getTemplateParameters() != null) {
                route.getTemplateParameters().forEach((key, value) -> local.put(key, String.valueOf(value)));
            }
            String input = resolve(route.getInput().getEndpointUri(), local);
            endpoint(input, item, route, route.getInput().getLineNumber(), components, problems);
            if (input != null) {
                inputs.add(normalize(input));
                oneConsumer(input, item, consumers, problems);
            }
            for (ProcessorDefinition<?> step : steps(route.getOutputs(), new ArrayList<>())) {
                if (step instanceof EndpointRequiredDefinition target) {
                    endpoint(resolve(target.getEndpointUri(), local), item, route, step.getLineNumber(), components, problems);
                }
            }
            knownConfigurations(item, routeConfigurations, problems);
        }
        if (complete && hook != null && !hook.isBlank() && !inputs.contains(normalize(hook))) {
            problems.add(new Problem("pep.hooks.before-provision", "no route consumes " + hook + ": pep would start,"
                    + " but answer every gateway 500; add the hook's route file to " + folder + ", turn on a bundled"
                    + " hook (camel.route-template[…]), or set it back to direct:allow-every-gateway"));
        }
        return problems;
    }

    /** Camel refuses a second consumer of a direct endpoint at start. */
    private static void oneConsumer(String input, Loaded item, Map<String, Loaded> consumers, List<Problem> problems) {
        RouteDefinition route = item.definition();
        if (!input.startsWith("direct:")) {
            return;
        }
        Loaded other = consumers.putIfAbsent(normalize(input), item);
        if (other != null && !route.getRouteId().equals(other.definition().getRouteId())) {
            problems.add(new Problem(at(item, route), "route '" + route.getRouteId() + "' consumes " + input + " as route '"
                    + other.definition().getRouteId() + "' at " + at(other, other.definition()) + " does: one consumer per"
                    + " direct endpoint (pep does not start: Multiple consumers for the same endpoint); rename one endpoint"));
        }
    }

    /** A route configuration a route names must exist, or Camel stops the start. */
    private static void knownConfigurations(Loaded item, Set<String> known, List<Problem> problems) {
        RouteDefinition route = item.definition();
        if (route.getRouteConfigurationId() == null) {
            return;
        }
        for (String id : route.getRouteConfigurationId().split(",")) {
            if (!id.isBlank() && !known.contains(id.trim())) {
                problems.add(new Problem(at(item, route), "route '" + route.getRouteId() + "' names routeConfigurationId "
                        + id.trim() + ", which no route file defines (pep does not start); use one of " + known));
            }
        }
    }

    /** A file's or a property's failure to load as one line: where (file:line when known) and Camel's words. */
    static Problem loadingProblem(String where, String text, Exception error) {
        MarkedYamlEngineException yaml = ObjectHelper.getException(MarkedYamlEngineException.class, error);
        if (yaml != null && yaml.getProblemMark().isPresent()) {
            String context = yaml.getContextMark().map(mark -> " (" + yaml.getContext() + " at line " + (mark.getLine() + 1) + ")").orElse("");
            return new Problem(where + ":" + (yaml.getProblemMark().get().getLine() + 1), "YAML error: " + yaml.getProblem()
                    + context + "; fix the YAML there or just above (indentation, a missing ':' or quote)");
        }
        String message = ObjectHelper.createExceptionIterable(error).iterator().next().getMessage(); // innermost
        String outer = String.valueOf(error.getMessage());
        String line = (message == null || outer.contains(message) ? outer : outer + ": " + message).replaceAll("\\s*\\n\\s*", " ").strip();
        Matcher hook = HOOK_ROUTE.matcher(line);
        if (hook.find()) {
            return new Problem(where + lineOf(text, "id:\\s*['\"]?" + Pattern.quote(hook.group(1)) + "['\"]?\\s*$"), line);
        }
        Matcher mark = YAML_MARK.matcher(line);
        return new Problem(mark.find() ? where + ":" + mark.group(1) : where, line);
    }

    private static String lineOf(String text, String regex) {
        if (text == null) {
            return "";
        }
        Pattern pattern = Pattern.compile(regex);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (pattern.matcher(lines[i].strip()).find()) {
                return ":" + (i + 1);
            }
        }
        return "";
    }

    static String shortName(String location) {
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }

    /**
     * The {@code {{placeholders}}} of a route file that no property answers, each at its line (comments
     * skipped); names in {@code parameters} are the file's route template parameters, filled per route.
     */
    List<Problem> placeholders(String where, String text, Set<String> parameters) {
        List<Problem> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Set<String> seen = new TreeSet<>();
            Matcher matcher = PLACEHOLDER.matcher(withoutComment(lines[i]));
            while (matcher.find()) {
                String name = matcher.group(1).trim();
                String key = (name.startsWith("?") ? name.substring(1) : name).split(":", 2)[0];
                if (parameters.contains(key) || !seen.add(name)) {
                    continue;
                }
                try {
                    context.resolvePropertyPlaceholders("{{" + name + "}}");
                } catch (RuntimeException e) {
                    problems.add(new Problem(where + ":" + (i + 1), "placeholder {{" + name + "}} has no value: add "
                            + key + " = … to the site's application.properties (or the environment variable "
                            + key.toUpperCase(java.util.Locale.ROOT).replaceAll("[.-]", "_") + "), or write {{" + key
                            + ":<default>}}"));
                }
            }
        }
        return problems;
    }

    /** Every step of a route, those inside choice, doTry, filter and the like included. */
    private static List<ProcessorDefinition<?>> steps(List<ProcessorDefinition<?>> outputs, List<ProcessorDefinition<?>> found) {
        for (ProcessorDefinition<?> step : outputs) {
            found.add(step);
            if (step instanceof ChoiceDefinition choice) {
                choice.getWhenClauses().forEach(when -> steps(when.getOutputs(), found));
                if (choice.getOtherwise() != null) {
                    steps(choice.getOtherwise().getOutputs(), found);
                }
            } else if (step instanceof TryDefinition attempt) {
                steps(attempt.getOutputs(), found);
                attempt.getCatchClauses().forEach(clause -> steps(clause.getOutputs(), found));
                if (attempt.getFinallyClause() != null) {
                    steps(attempt.getFinallyClause().getOutputs(), found);
                }
            } else {
                steps(step.getOutputs(), found);
            }
        }
        return found;
    }

    static Set<String> templateParameters(RouteTemplateDefinition template) {
        Set<String> names = new TreeSet<>();
        if (template.getTemplateParameters() != null) {
            template.getTemplateParameters().forEach(parameter -> names.add(parameter.getName()));
        }
        return names;
    }

    private static String withoutComment(String line) {
        String trimmed = line.stripLeading();
        if (trimmed.startsWith("#")) {
            return "";
        }
        int comment = line.indexOf(" #");
        return comment < 0 ? line : line.substring(0, comment);
    }

    private void endpoint(String uri, Loaded item, RouteDefinition route, int line, Set<String> components, List<Problem> problems) {
        if (uri == null || uri.startsWith("$") || !uri.contains(":")) {
            return;
        }
        String scheme = uri.substring(0, uri.indexOf(':'));
        if (scheme.startsWith("$") || scheme.contains("{") || components.contains(scheme)) {
            return;
        }
        String where = line > 0 ? item.where() + ":" + line : at(item, route);
        problems.add(new Problem(where, "endpoint '" + uri + "' in route '" + route.getRouteId() + "': pep has no component '"
                + scheme + "' (pep does not start: No component found with scheme: " + scheme + "); use one pep has, e.g. "
                + "direct, http, https, log, seda, file, timer"));
    }

    private String resolve(String uri, Properties local) {
        if (uri == null) {
            return null;
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        try {
            properties.setLocalProperties(local);
            return context.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            return null; // reported as a placeholder problem
        } finally {
            properties.setLocalProperties(null);
        }
    }

    private static String at(Loaded item, RouteDefinition route) {
        return route.getLineNumber() > 0 && !item.where().contains("camel.route-template[")
                ? item.where() + ":" + route.getLineNumber() : item.where();
    }

    private static String normalize(String uri) {
        try {
            return URISupport.normalizeUri(uri);
        } catch (Exception e) {
            return uri;
        }
    }
}
