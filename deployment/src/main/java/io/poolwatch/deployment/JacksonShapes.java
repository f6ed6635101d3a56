package io.poolwatch.deployment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.MethodParameterInfo;
import org.jboss.jandex.ParameterizedType;
import org.jboss.jandex.RecordComponentInfo;
import org.jboss.jandex.Type;

/**
 * Makes the scanned schemas say what Jackson writes, so that a body can be checked against them and fail: the scanner
 * knows the Java types but not the serializer's settings. The Java type behind each schema is found by walking the
 * resource methods' return types (or the type an {@code @APIResponse} names) beside the schemas, and for every record:
 * <ul>
 * <li>a property Jackson always writes is {@code required}: every component, where nulls are written (Jackson's and
 * Quarkus's default, {@code quarkus.jackson.serialization-inclusion} unset); under {@code @JsonInclude(NON_NULL)} only
 * primitives and {@code Optional}s (whose empty value is written as null);</li>
 * <li>a property that may be written as null says so ({@code "null"} among its types): every component that is not a
 * primitive, where nulls are written;</li>
 * <li>a {@code Duration} is a number of seconds, as Jackson writes it ({@code quarkus.jackson.write-durations-as-timestamps},
 * true by default), not an ISO-8601 string.</li>
 * </ul>
 */
final class JacksonShapes {

    static final DotName JSON_INCLUDE = DotName.createSimple("com.fasterxml.jackson.annotation.JsonInclude");
    static final DotName JSON_PROPERTY = DotName.createSimple("com.fasterxml.jackson.annotation.JsonProperty");
    static final DotName JSON_IGNORE = DotName.createSimple("com.fasterxml.jackson.annotation.JsonIgnore");
    static final DotName API_RESPONSE = DotName
            .createSimple("org.eclipse.microprofile.openapi.annotations.responses.APIResponse");
    static final DotName API_RESPONSES = DotName
            .createSimple("org.eclipse.microprofile.openapi.annotations.responses.APIResponses");
    static final DotName DURATION = DotName.createSimple("java.time.Duration");
    static final Set<DotName> OPTIONALS = Set.of(DotName.createSimple("java.util.Optional"),
            DotName.createSimple("java.util.OptionalInt"),
            DotName.createSimple("java.util.OptionalLong"), DotName.createSimple("java.util.OptionalDouble"));
    static final Set<DotName> COLLECTIONS = Set.of(DotName.createSimple("java.util.List"),
            DotName.createSimple("java.util.Set"),
            DotName.createSimple("java.util.Collection"), DotName.createSimple("java.lang.Iterable"),
            DotName.createSimple("java.util.SortedSet"));
    static final Set<DotName> MAPS = Set.of(DotName.createSimple("java.util.Map"), DotName.createSimple("java.util.SortedMap"),
            DotName.createSimple("java.util.LinkedHashMap"), DotName.createSimple("java.util.HashMap"),
            DotName.createSimple("java.util.TreeMap"));
    private static final String SCHEMAS = "#/components/schemas/";

    /** How Jackson treats null and absent values: the two settings that change what is required. */
    enum Inclusion {
        /** Every property, nulls too. */
        ALWAYS,
        /** Not null references; an empty Optional is still written, as null. */
        NON_NULL,
        /** Neither null nor empty Optionals, nor (for NON_EMPTY, NON_DEFAULT) empty values: nothing is required. */
        NON_ABSENT;

        static Inclusion of(String include) {
            return switch (include == null ? "ALWAYS" : include.trim().toUpperCase(Locale.ROOT)) {
                case "NON_NULL" -> NON_NULL;
                case "ALWAYS", "USE_DEFAULTS" -> ALWAYS;
                default -> NON_ABSENT;
            };
        }
    }

    private final IndexView index;
    private final OpenAPI model;
    private final Inclusion inclusion;
    private final boolean durationsAsSeconds;
    /** The component schemas walked so far (a record that refers to itself is walked once). */
    private final Set<String> visited = new HashSet<>();

    /**
     * @param inclusion the application's {@code quarkus.jackson.serialization-inclusion}
     * @param durationsAsSeconds the application's {@code quarkus.jackson.write-durations-as-timestamps}
     */
    JacksonShapes(IndexView index, OpenAPI model, Inclusion inclusion, boolean durationsAsSeconds) {
        this.index = index;
        this.model = model;
        this.inclusion = inclusion;
        this.durationsAsSeconds = durationsAsSeconds;
    }

    /** The schemas of one operation's answers and request body, beside the method that serves it. */
    void operation(Operation op, MethodInfo method) {
        if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
            for (Map.Entry<String, APIResponse> r : op.getResponses().getAPIResponses().entrySet()) {
                Type declared = declared(method, r.getKey());
                if (declared == null && r.getKey().startsWith("2")) {
                    declared = method.returnType();
                }
                if (declared != null) {
                    content(declared, r.getValue().getContent());
                }
            }
        }
        if (op.getRequestBody() != null) {
            for (MethodParameterInfo p : method.parameters()) {
                if (p.annotations().stream().noneMatch(a -> a.name().toString().startsWith("jakarta.ws.rs."))) {
                    content(p.type(), op.getRequestBody().getContent());
                }
            }
        }
    }

    private void content(Type type, Content content) {
        if (content == null || content.getMediaTypes() == null) {
            return;
        }
        content.getMediaTypes().values().forEach(m -> walk(type, m.getSchema()));
    }

    /** The type an {@code @APIResponse} of this status names ({@code implementation}, as an array when it says so). */
    private static Type declared(MethodInfo method, String status) {
        List<AnnotationInstance> responses = new ArrayList<>();
        AnnotationInstance one = method.annotation(API_RESPONSE);
        if (one != null && one.target().kind() == AnnotationTarget.Kind.METHOD) {
            responses.add(one);
        }
        AnnotationInstance many = method.annotation(API_RESPONSES);
        if (many != null && many.value() != null) {
            responses.addAll(List.of(many.value().asNestedArray()));
        }
        for (AnnotationInstance r : responses) {
            if (r.value("responseCode") == null || !status.equals(r.value("responseCode").asString())
                    || r.value("content") == null) {
                continue;
            }
            for (AnnotationInstance c : r.value("content").asNestedArray()) {
                AnnotationValue schema = c.value("schema");
                if (schema != null && schema.asNested().value("implementation") != null) {
                    Type implementation = schema.asNested().value("implementation").asClass();
                    AnnotationValue kind = schema.asNested().value("type");
                    boolean array = kind != null && "ARRAY".equals(kind.asEnum());
                    return array
                            ? ParameterizedType.create(DotName.createSimple("java.util.List"), new Type[] { implementation },
                                    null)
                            : implementation;
                }
            }
        }
        return null;
    }

    /** Walks a Java type beside the schema the scanner made of it. */
    void walk(Type type, Schema schema) {
        if (type == null || schema == null) {
            return;
        }
        if (schema.getRef() != null) {
            if (schema.getRef().startsWith(SCHEMAS)) {
                String name = schema.getRef().substring(SCHEMAS.length());
                Schema component = component(name);
                if (component != null && visited.add(name)) {
                    walk(type, component);
                }
            }
            return;
        }
        for (List<Schema> alternatives : Arrays.asList(schema.getAnyOf(), schema.getOneOf(), schema.getAllOf())) {
            if (alternatives != null) {
                alternatives.forEach(a -> walk(type, a));
            }
        }
        switch (type.kind()) {
            case PARAMETERIZED_TYPE -> {
                DotName raw = type.name();
                List<Type> args = type.asParameterizedType().arguments();
                if (raw.equals(DotName.createSimple("java.util.Optional")) && args.size() == 1) {
                    walk(args.get(0), schema);
                } else if (COLLECTIONS.contains(raw) && args.size() == 1) {
                    walk(args.get(0), schema.getItems());
                } else if (MAPS.contains(raw) && args.size() == 2) {
                    walk(args.get(1), schema.getAdditionalPropertiesSchema());
                }
            }
            case ARRAY -> walk(type.asArrayType().constituent(), schema.getItems());
            case CLASS -> {
                if (type.name().equals(DURATION)) {
                    durationAsSeconds(schema);
                    return;
                }
                ClassInfo c = index.getClassByName(type.name());
                if (c != null && c.isRecord()) {
                    record(c, schema);
                }
            }
            default -> {
            }
        }
    }

    private Schema component(String name) {
        return model.getComponents() == null || model.getComponents().getSchemas() == null ? null
                : model.getComponents().getSchemas().get(name);
    }

    private void record(ClassInfo record, Schema schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        Inclusion recordInclusion = inclusion(record.declaredAnnotation(JSON_INCLUDE), inclusion);
        for (RecordComponentInfo component : record.recordComponents()) {
            FieldInfo field = record.field(component.name());
            if (annotation(component, field, JSON_IGNORE) != null) {
                continue;
            }
            AnnotationInstance renamed = annotation(component, field, JSON_PROPERTY);
            String name = renamed != null && renamed.value() != null && !renamed.value().asString().isEmpty()
                    ? renamed.value().asString()
                    : component.name();
            Schema property = properties.get(name);
            if (property == null) {
                continue;
            }
            Inclusion include = inclusion(annotation(component, field, JSON_INCLUDE), recordInclusion);
            Type type = component.type();
            boolean primitive = type.kind() == Type.Kind.PRIMITIVE;
            boolean optional = OPTIONALS.contains(type.name());
            boolean required = primitive || include == Inclusion.ALWAYS || include == Inclusion.NON_NULL && optional;
            boolean nullable = !primitive && (include == Inclusion.ALWAYS || include == Inclusion.NON_NULL && optional);
            walk(type, property);
            if (required && (schema.getRequired() == null || !schema.getRequired().contains(name))) {
                schema.addRequired(name);
            }
            if (nullable) {
                schema.addProperty(name, nullable(property));
            }
        }
    }

    private static AnnotationInstance annotation(RecordComponentInfo component, FieldInfo field, DotName name) {
        AnnotationInstance a = component.annotation(name);
        if (a == null && field != null) {
            a = field.annotation(name);
        }
        return a;
    }

    private static Inclusion inclusion(AnnotationInstance include, Inclusion otherwise) {
        if (include == null || include.value() == null) {
            return otherwise;
        }
        return Inclusion.of(include.value().asEnum());
    }

    /** A schema that also takes null: {@code "null"} among its types, or a reference as one of two alternatives. */
    static Schema nullable(Schema schema) {
        if (schema.getRef() != null) {
            Schema either = OASFactory.createSchema().addAnyOf(OASFactory.createSchema().ref(schema.getRef()))
                    .addAnyOf(OASFactory.createSchema().addType(Schema.SchemaType.NULL));
            either.setDescription(schema.getDescription());
            return either;
        }
        if (schema.getType() != null && !schema.getType().isEmpty() && !schema.getType().contains(Schema.SchemaType.NULL)) {
            schema.addType(Schema.SchemaType.NULL);
        }
        if (schema.getEnumeration() != null && !schema.getEnumeration().contains(null)) {
            schema.addEnumeration(null);
        }
        if (schema.getAnyOf() != null && schema.getAnyOf().stream()
                .noneMatch(s -> s.getType() != null && s.getType().contains(Schema.SchemaType.NULL))) {
            schema.addAnyOf(OASFactory.createSchema().addType(Schema.SchemaType.NULL));
        }
        return schema;
    }

    private void durationAsSeconds(Schema schema) {
        if (!durationsAsSeconds || schema.getType() == null || !schema.getType().contains(Schema.SchemaType.STRING)) {
            return;
        }
        List<Schema.SchemaType> types = new ArrayList<>();
        types.add(Schema.SchemaType.NUMBER);
        if (schema.getType().contains(Schema.SchemaType.NULL)) {
            types.add(Schema.SchemaType.NULL);
        }
        schema.setType(types);
        schema.setFormat(null);
        schema.setExamples(null);
        schema.setDescription(schema.getDescription() == null ? "seconds" : schema.getDescription() + " (seconds)");
    }
}
