package io.poolwatch.web;

import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.poolwatch.alerting.AuditLog;

/** The audit log's recent events as JSON, newest first. */
@Singleton
@RootedPath("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final int DEFAULT_LIMIT = 100;

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * Recent events, each a flat object: {@code time}, {@code type}, then its fields. Refused requests are listed as one
     * entry a window for each caller, address, method, path and status, with {@code count} and the {@code last} time.
     *
     * @param limit at most this many (100 unless told; the log keeps 1000 of each class: signed-in users' actions, anonymous
     *        actions, refused requests, notification attempts)
     * @param type only events of this type, such as {@code notification.attempt}
     */
    @GET
    @APIResponse(responseCode = "200", description = "The events, newest first", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = AuditEvent.class)))
    public Response list(@QueryParam("limit") String limit, @QueryParam("type") String type) {
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > audit.capacity()) {
                return Response.status(400).entity(new ApiError("limit=" + limit + ": accepted: 1 to " + audit.capacity(), 400))
                        .build();
            }
        }
        List<Map<String, Object>> events = audit.recent(n, type == null || type.isBlank() ? null : type.trim()).stream()
                .map(AuditLog.Event::toMap).toList();
        return Response.ok(events).build();
    }

    /** One event as the answer shows it, for the API's description: its time and type, then the event's own fields. */
    @Schema(name = "AuditEvent", requiredProperties = { "time",
            "type" }, additionalProperties = Schema.True.class, properties = {
                    @SchemaProperty(name = "time", type = SchemaType.STRING, format = "date-time"),
                    @SchemaProperty(name = "type", type = SchemaType.STRING, description = "such as admin.action or notification.attempt") })
    static final class AuditEvent {
        private AuditEvent() {
        }
    }
}
