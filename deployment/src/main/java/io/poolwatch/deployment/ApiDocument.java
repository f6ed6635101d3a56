package io.poolwatch.deployment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import io.poolwatch.security.Access;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.openapi.api.SmallRyeOpenAPI;

/**
 * poolwatch's JSON API as an OpenAPI model: SmallRye's JAX-RS scanner reads the resources under {@code /api/} at the
 * paths they are registered at (they carry no class-level {@code @Path}, so the scanner would not find them alone),
 * then every operation is given what the scanner cannot know: the role {@link Access} requires of it (as security
 * requirements and {@value #ROLE}), and the error answers poolwatch gives.
 * <p>
 * The dashboard's pages and its {@code /actions/} forms are left out: they answer HTML to a browser and take forms with a
 * page's CSRF token, which is no contract for a program to rely on.
 */
final class ApiDocument {

    /** The extension naming an operation's role: viewer, admin, open, or deny (not in the access table). */
    static final String ROLE = "x-poolwatch-role";
    /** The security schemes: HTTP basic (Quarkus's embedded realm) and a bearer token (OIDC). */
    static final String BASIC = "poolwatch-basic";
    static final String BEARER = "poolwatch-bearer";
    /** The error body's schema, {@code io.poolwatch.web.ApiError}. */
    static final String ERROR = "ApiError";
    /** The tag of every operation. */
    static final String TAG = "poolwatch";
    /** What the scanner is told a resource class's path is. */
    static final String RESOURCE_CLASS = "mp.openapi.extensions.smallrye.scan.resource-class.";
    static final String ERROR_REF = "#/components/schemas/" + ERROR;
    /** Where an operation's method is noted while the scan runs. */
    private static final String METHOD = "x-poolwatch-method";

    private ApiDocument() {
    }

    /** One resource: its class and the path it is registered at under the root ({@code /api/v1/pools}). */
    record Resource(ClassInfo type, String rootedPath) {
    }

    /**
     * The model of the resources' operations.
     *
     * @param root poolwatch's root, {@code /} or {@code /q/poolwatch}
     * @param contextRoot where the application's REST resources are served ({@code quarkus.http.root-path} and the REST
     *        path), {@code /} by default
     * @param config the application's configuration, for the scanner's settings
     */
    static OpenAPI model(IndexView index, List<Resource> resources, String root, String contextRoot, Config config,
            ClassLoader loader) {
        Map<String, String> keys = new HashMap<>();
        for (Resource r : resources) {
            keys.put(RESOURCE_CLASS + r.type().name().toString(), join(root, r.rootedPath()));
        }
        // What poolwatch's API is made of is in its own packages (and the JDK's): an application that limits its own
        // scan to its packages does not hide poolwatch's types from this one. Exclusions it sets still apply.
        keys.put("mp.openapi.scan.packages", "io.poolwatch");
        Config scanConfig = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(keys, "poolwatch's resources", Integer.MAX_VALUE),
                        new ApplicationConfigSource(config))
                .build();
        // Each operation's method, kept on the operation until the scan is done: the schemas are then read beside it.
        Map<String, MethodInfo> methods = new HashMap<>();
        OpenAPI model = SmallRyeOpenAPI.builder()
                .withConfig(scanConfig)
                .withIndex(new OwnResourcesIndexView(index))
                .withApplicationClassLoader(loader)
                .withScannerClassLoader(loader)
                .enableModelReader(false)
                .enableStandardStaticFiles(false)
                .enableStandardFilter(false)
                .enableAnnotationScan(true)
                .enableUnannotatedPathParameters(true)
                .withContextRootResolver(classes -> contextRoot)
                .withOperationHandler((operation, type, method) -> {
                    String key = type.name() + "#" + method;
                    methods.put(key, method);
                    operation.addExtension(METHOD, key);
                })
                .build()
                .model();
        JacksonShapes shapes = new JacksonShapes(index, model,
                JacksonShapes.Inclusion
                        .of(config.getOptionalValue("quarkus.jackson.serialization-inclusion", String.class).orElse(null)),
                config.getOptionalValue("quarkus.jackson.write-durations-as-timestamps", Boolean.class).orElse(true));
        forEachOperation(model, (path, method, op) -> {
            Object key = op.getExtensions() == null ? null : op.getExtensions().get(METHOD);
            op.removeExtension(METHOD);
            if (key != null && methods.containsKey(key.toString())) {
                shapes.operation(op, methods.get(key.toString()));
            }
        });
        String prefix = join(contextRoot, root);
        annotate(model, prefix);
        return model;
    }

    /** Roles, security, tags and error answers on every operation; the error schema and the security schemes. */
    static void annotate(OpenAPI model, String prefix) {
        forEachOperation(model, (path, method, op) -> annotate(op, method, relative(path, prefix)));
        if (model.getComponents() == null) {
            model.setComponents(OASFactory.createComponents());
        }
        model.getComponents().addSchema(ERROR, errorSchema());
        model.getComponents().addSecurityScheme(BASIC, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("basic")
                .description(
                        "HTTP basic authentication against Quarkus's embedded users (quarkus.security.users.embedded.*), whose roles "
                                + "are viewer and admin (or those poolwatch.security.viewer-roles and admin-roles name)."));
        model.getComponents().addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .bearerFormat("JWT")
                .description(
                        "An OIDC access token (quarkus.oidc.*), whose roles are read from quarkus.oidc.roles.role-claim-path."));
        model.addTag(OASFactory.createTag().name(TAG)
                .description("poolwatch: database connection pools, what they do and the alerts "
                        + "on them. Each operation's x-poolwatch-role names the role it needs (io.poolwatch.security.Access). With no users "
                        + "and no OIDC provider configured, poolwatch is open and no credentials are asked for."));
    }

    private static void annotate(Operation op, String method, String template) {
        Access access = Access.forEndpoint(method, template);
        String role = access.name().toLowerCase(Locale.ROOT);
        op.addExtension(ROLE, role);
        op.setTags(new ArrayList<>(List.of(TAG)));
        APIResponses responses = op.getResponses() == null ? OASFactory.createAPIResponses() : op.getResponses();
        op.setResponses(responses);
        addIfAbsent(responses, "400", error("The path cannot be read one way, or a parameter or the body is not accepted: the "
                + "error says which, the value, and what is accepted."));
        switch (access) {
            case VIEWER, ADMIN -> {
                op.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BASIC, role));
                op.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER, role));
                addIfAbsent(responses, "401", OASFactory.createAPIResponse()
                        .description("No credentials, or wrong ones: answered with a WWW-Authenticate challenge and no body.")
                        .addHeader("WWW-Authenticate",
                                OASFactory.createHeader().description("the challenge, such as Basic realm=\"poolwatch\"")
                                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING))));
                addIfAbsent(responses, "403", OASFactory.createAPIResponse().description(access == Access.ADMIN
                        ? "The caller does not have the admin role, or a browser sent the change from another origin; no body."
                        : "The caller has neither the viewer nor the admin role; no body."));
                op.setDescription(appended(op.getDescription(),
                        "Needs the " + role + " role" + (access == Access.VIEWER ? " (or admin)." : ".")));
            }
            case OPEN -> op.setSecurity(new ArrayList<>(List.of(OASFactory.createSecurityRequirement())));
            default ->
                op.setDescription(appended(op.getDescription(), "Refused: the access table does not name this endpoint."));
        }
        if (paged(op) && responses.getAPIResponse("200") != null) {
            responses.getAPIResponse("200")
                    .addHeader("X-Total-Count", OASFactory.createHeader().description("how many items the whole list has")
                            .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)))
                    .addHeader("Link",
                            OASFactory.createHeader().description("<path?limit=&offset=>; rel=\"next\", when more items follow")
                                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        }
        if (template.contains("{")) {
            addIfAbsent(responses, "404", error("Nothing of that name: the error names the ones there are."));
        }
        if (!Access.isSafe(method)) {
            // A change that takes a body is refused by the router when the body is not JSON, before poolwatch sees it.
            addIfAbsent(responses, "415", op.getRequestBody() != null
                    ? OASFactory.createAPIResponse().description("Not sent as Content-Type: application/json; no body.")
                    : error("Not sent as Content-Type: application/json (with or without a body)."));
        }
    }

    /** What is done with each operation: its path, its method ({@code GET}) and itself. */
    interface OperationVisitor {
        void visit(String path, String method, Operation operation);
    }

    static void forEachOperation(OpenAPI model, OperationVisitor visitor) {
        if (model.getPaths() == null || model.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : model.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                visitor.visit(path.getKey(), op.getKey().name(), op.getValue());
            }
        }
    }

    /** Whether an operation answers one page of a list ({@code ?limit=&offset=}, io.poolwatch.web.Paging). */
    private static boolean paged(Operation op) {
        return op.getParameters() != null && op.getParameters().stream().filter(p -> p.getIn() == Parameter.In.QUERY)
                .map(Parameter::getName).filter(n -> n.equals("limit") || n.equals("offset")).count() == 2;
    }

    private static void addIfAbsent(APIResponses responses, String status, APIResponse response) {
        if (responses.getAPIResponse(status) == null) {
            responses.addAPIResponse(status, response);
        }
    }

    private static APIResponse error(String description) {
        return OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_REF))));
    }

    /** {@code io.poolwatch.web.ApiError}: every error poolwatch answers with a body has both fields. */
    static Schema errorSchema() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("The body of every error poolwatch answers with JSON.")
                .addProperty("error", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("what went wrong, and what is accepted"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                        .description("the HTTP status"))
                .required(new ArrayList<>(List.of("error", "status")))
                .additionalPropertiesBoolean(Boolean.FALSE);
    }

    /**
     * A scanned path relative to poolwatch's root: {@code /q/poolwatch/api/v1/pools/{name}} is {@code /api/v1/pools/{name}}.
     */
    static String relative(String path, String prefix) {
        if (prefix.equals("/")) {
            return path;
        }
        return path.startsWith(prefix + "/") ? path.substring(prefix.length()) : path.equals(prefix) ? "/" : path;
    }

    /** Two paths joined with one '/' between them; {@code /} stands for nothing. */
    static String join(String a, String b) {
        String left = a == null || a.equals("/") ? "" : a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
        String right = b == null || b.equals("/") ? "" : b.startsWith("/") ? b : "/" + b;
        String joined = left + right;
        return joined.isEmpty() ? "/" : joined;
    }

    private static String appended(String text, String sentence) {
        return text == null || text.isBlank() ? sentence : text.trim() + " " + sentence;
    }

    /** The application's configuration as the scanner's lowest source (its mp.openapi.* settings apply here too). */
    static final class ApplicationConfigSource implements ConfigSource {

        private final Config config;

        ApplicationConfigSource(Config config) {
            this.config = config;
        }

        @Override
        public Set<String> getPropertyNames() {
            Set<String> names = new HashSet<>();
            config.getPropertyNames().forEach(names::add);
            return names;
        }

        @Override
        public String getValue(String propertyName) {
            return config.getConfigValue(propertyName).getValue();
        }

        @Override
        public String getName() {
            return "the application's configuration";
        }

        @Override
        public int getOrdinal() {
            return 0;
        }
    }

    /** For the merge: the schema names the model defines. */
    static Map<String, Schema> schemas(OpenAPI model) {
        return model.getComponents() == null || model.getComponents().getSchemas() == null ? Map.of()
                : new LinkedHashMap<>(model.getComponents().getSchemas());
    }
}
