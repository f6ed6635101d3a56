package io.poolwatch.deployment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.jboss.logging.Logger;

/**
 * Adds poolwatch's JSON API ({@link ApiDocument}) to the application's OpenAPI document, when the application is built:
 * its paths, its schemas, its security schemes and its tag. A schema name the application already uses for a schema of
 * its own is given to poolwatch's as {@code Poolwatch<name>}, its references rewritten, so neither overwrites the other;
 * a path the application documents itself is left as the application has it.
 */
final class ApiDocumentFilter implements OASFilter {

    private static final Logger LOG = Logger.getLogger(ApiDocumentFilter.class);
    private static final String SCHEMAS = "#/components/schemas/";

    private final Supplier<OpenAPI> api;

    ApiDocumentFilter(Supplier<OpenAPI> api) {
        this.api = api;
    }

    @Override
    public void filterOpenAPI(OpenAPI document) {
        OpenAPI ours = api.get();
        if (document.getComponents() == null) {
            document.setComponents(OASFactory.createComponents());
        }
        Components components = document.getComponents();
        Map<String, Schema> theirs = components.getSchemas() == null ? Map.of() : components.getSchemas();
        Map<String, Schema> schemas = ApiDocument.schemas(ours);
        Map<String, String> renamed = new HashMap<>();
        for (String name : schemas.keySet()) {
            if (theirs.containsKey(name)) {
                String other = "Poolwatch" + name;
                for (int n = 2; theirs.containsKey(other) || schemas.containsKey(other); n++) {
                    other = "Poolwatch" + name + n;
                }
                renamed.put(name, other);
            }
        }
        for (Map.Entry<String, Schema> s : schemas.entrySet()) {
            rewrite(s.getValue(), renamed);
            components.addSchema(renamed.getOrDefault(s.getKey(), s.getKey()), s.getValue());
        }
        if (ours.getComponents() != null && ours.getComponents().getSecuritySchemes() != null) {
            ours.getComponents().getSecuritySchemes().forEach((name, scheme) -> {
                if (components.getSecuritySchemes() == null || !components.getSecuritySchemes().containsKey(name)) {
                    components.addSecurityScheme(name, scheme);
                }
            });
        }
        if (ours.getPaths() != null && ours.getPaths().getPathItems() != null) {
            if (document.getPaths() == null) {
                document.setPaths(OASFactory.createPaths());
            }
            for (Map.Entry<String, PathItem> path : ours.getPaths().getPathItems().entrySet()) {
                if (document.getPaths().hasPathItem(path.getKey())) {
                    LOG.warnf("The application documents %s itself; poolwatch's description of it is left out", path.getKey());
                    continue;
                }
                for (Operation op : path.getValue().getOperations().values()) {
                    rewrite(op, renamed);
                }
                document.getPaths().addPathItem(path.getKey(), path.getValue());
            }
        }
        if (ours.getTags() != null) {
            for (var tag : ours.getTags()) {
                if (document.getTags() == null
                        || document.getTags().stream().noneMatch(t -> tag.getName().equals(t.getName()))) {
                    document.addTag(tag);
                }
            }
        }
    }

    private static void rewrite(Operation op, Map<String, String> renamed) {
        if (renamed.isEmpty()) {
            return;
        }
        if (op.getParameters() != null) {
            for (Parameter p : op.getParameters()) {
                rewrite(p.getSchema(), renamed);
                rewrite(p.getContent(), renamed);
            }
        }
        if (op.getRequestBody() != null) {
            rewrite(op.getRequestBody().getContent(), renamed);
        }
        if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
            for (APIResponse r : op.getResponses().getAPIResponses().values()) {
                rewrite(r.getContent(), renamed);
                if (r.getHeaders() != null) {
                    r.getHeaders().values().forEach(h -> rewrite(h.getSchema(), renamed));
                }
            }
        }
    }

    private static void rewrite(Content content, Map<String, String> renamed) {
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().forEach(m -> rewrite(m.getSchema(), renamed));
        }
    }

    /** Every reference to a renamed schema, in this schema and every schema within it. */
    static void rewrite(Schema schema, Map<String, String> renamed) {
        if (schema == null || renamed.isEmpty()) {
            return;
        }
        String ref = schema.getRef();
        if (ref != null && ref.startsWith(SCHEMAS) && renamed.containsKey(ref.substring(SCHEMAS.length()))) {
            schema.setRef(SCHEMAS + renamed.get(ref.substring(SCHEMAS.length())));
        }
        for (Object value : schema.getAll().values()) {
            rewriteWithin(value, renamed);
        }
    }

    private static void rewriteWithin(Object value, Map<String, String> renamed) {
        if (value instanceof Schema s) {
            rewrite(s, renamed);
        } else if (value instanceof List<?> list) {
            list.forEach(v -> rewriteWithin(v, renamed));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> rewriteWithin(v, renamed));
        }
    }
}
