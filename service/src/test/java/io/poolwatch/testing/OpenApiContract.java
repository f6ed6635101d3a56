package io.poolwatch.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;

/**
 * The OpenAPI document a running poolwatch serves ({@code /q/openapi}), read as a contract: an answer to an operation
 * is checked against what the document says of that operation and status, its body against the schema there with a
 * JSON Schema validator in OpenAPI 3.1's dialect (draft 2020-12; {@code format} asserted), references into
 * {@code components/schemas} resolved within the document.
 * <p>
 * {@link #strict()} also refuses a property the document does not name ({@code additionalProperties: false} on every
 * object schema that lists its properties), so a field added to a record without the document knowing fails too.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private final JsonNode document;

    private OpenApiContract(JsonNode document) {
        this.document = document;
    }

    /** The document, as served in JSON. */
    public static OpenApiContract of(String json) {
        try {
            return new OpenApiContract(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the OpenAPI document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The same contract, refusing properties its object schemas do not name. */
    public OpenApiContract strict() {
        JsonNode copy = document.deepCopy();
        closeObjects(copy);
        return new OpenApiContract(copy);
    }

    public JsonNode document() {
        return document;
    }

    /** The operation at a path template ({@code /api/v1/pools/{name}}) for a method, or a missing node. */
    public JsonNode operation(String method, String template) {
        return document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
    }

    /** The response the document gives an operation for a status, if any. */
    public Optional<JsonNode> response(String method, String template, int status) {
        JsonNode r = operation(method, template).path("responses").path(Integer.toString(status));
        return r.isMissingNode() ? Optional.empty() : Optional.of(r);
    }

    /**
     * What is wrong with an answer, or nothing: its status must be documented for the operation; a response documented
     * without content must have no body; one with JSON content must be JSON of the documented schema.
     */
    public List<String> problems(String method, String template, int status, String contentType, String body) {
        String where = method + " " + template + " " + status;
        Optional<JsonNode> response = response(method, template, status);
        if (response.isEmpty()) {
            return List.of(where + ": the document does not list this status; it lists "
                    + fieldNames(operation(method, template).path("responses")));
        }
        JsonNode content = response.get().path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return body == null || body.isBlank() ? List.of()
                    : List.of(where + ": documented without a body, answered " + abbreviate(body));
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            return List.of(where + ": documented as application/json, answered as " + contentType);
        }
        JsonNode schema = content.path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return List.of(where + ": no schema for application/json");
        }
        return problems(schema, body).stream().map(p -> where + ": " + p).toList();
    }

    /** What is wrong with a body against one of the document's component schemas. */
    public List<String> problemsAgainst(String component, String body) {
        JsonNode schema = document.path("components").path("schemas").path(component);
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("no component schema " + component + " in the document");
        }
        return problems(schema, body);
    }

    /** What is wrong with a body against a schema of the document (references resolved within the document). */
    public List<String> problems(JsonNode schema, String body) {
        JsonNode instance;
        try {
            instance = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            return List.of("not JSON: " + abbreviate(body));
        }
        if (instance == null || instance.isMissingNode()) {
            return List.of("no body");
        }
        ObjectNode root = schema.isObject() ? ((ObjectNode) schema).deepCopy() : JSON.createObjectNode();
        root.set("components", document.path("components"));
        JsonSchema validator = FACTORY.getSchema(root, CONFIG);
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : validator.validate(instance)) {
            out.add(m.getInstanceLocation() + ": " + m.getMessage());
        }
        return out;
    }

    private static void closeObjects(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("properties") && o.path("properties").isObject() && !o.has("additionalProperties")) {
                o.set("additionalProperties", BooleanNode.FALSE);
            }
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            while (fields.hasNext()) {
                closeObjects(fields.next().getValue());
            }
        } else if (node.isArray()) {
            node.forEach(OpenApiContract::closeObjects);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
