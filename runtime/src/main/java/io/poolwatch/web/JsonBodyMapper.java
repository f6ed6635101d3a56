package io.poolwatch.web;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * A JSON body that cannot be read is a 400 naming where and what: the field (as a path such as
 * {@code matchers[0].isRegex}), what was wrong, and for an unknown field the ones accepted. Unknown fields are refused
 * ({@code quarkus.jackson.fail-on-unknown-properties=true}) so a misspelt field is not silently ignored. The text
 * Jackson reports is cut to one line and never includes the body itself. Only poolwatch's own resources are answered
 * this way; a host application's keep Quarkus's answers.
 */
public class JsonBodyMapper {

    private static final int MAX_DETAIL = 200;

    /** What Quarkus answers to an unreadable body of a host application's own resource: a bare 400. */
    private static Response theirs() {
        return Response.status(400).build();
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, SimpleResourceInfo resource) {
        if (!OwnResources.ours(resource)) {
            return theirs();
        }
        return unknownField(e);
    }

    Response unknownField(UnrecognizedPropertyException e) {
        String known = e.getKnownPropertyIds() == null ? ""
                : e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                        .collect(Collectors.joining(", "));
        return bad(path(e.getPath()) + ": unknown field; accepted: " + known);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, SimpleResourceInfo resource) {
        return OwnResources.ours(resource) ? mismatched(e) : theirs();
    }

    Response mismatched(MismatchedInputException e) {
        String type = e.getTargetType() == null ? "" : "; accepted: " + describe(e.getTargetType());
        return bad(path(e.getPath()) + ": " + firstLine(e.getOriginalMessage()) + type);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonParseException e, SimpleResourceInfo resource) {
        return OwnResources.ours(resource) ? unreadable(e) : theirs();
    }

    Response unreadable(JsonParseException e) {
        return bad("body: not valid JSON (" + firstLine(e.getOriginalMessage()) + " at line " + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr() + ")");
    }

    /**
     * Quarkus REST wraps some parse errors (a body cut short, say) in a bare 400; give those the same answer. Any other
     * {@link WebApplicationException} keeps its own response.
     */
    @ServerExceptionMapper
    public Response wrapped(WebApplicationException e, SimpleResourceInfo resource) {
        if (!OwnResources.ours(resource)) {
            return e.getResponse();
        }
        if (e.getCause() instanceof UnrecognizedPropertyException u) {
            return unknownField(u);
        }
        if (e.getCause() instanceof MismatchedInputException m) {
            return mismatched(m);
        }
        if (e.getCause() instanceof JsonParseException p) {
            return unreadable(p);
        }
        if (e.getCause() instanceof JsonProcessingException j) {
            return bad("body: not valid JSON (" + firstLine(j.getOriginalMessage()) + ")");
        }
        return e.getResponse();
    }

    private static Response bad(String message) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(message, 400)).build();
    }

    static String path(List<JsonMappingException.Reference> path) {
        if (path == null || path.isEmpty()) {
            return "body";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String line = s.lines().findFirst().orElse("");
        // Jackson quotes the offending token; keep it short.
        return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "..." : line;
    }
}
