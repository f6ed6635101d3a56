package io.poolwatch.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.poolwatch.observed.ApplicationDefinition;
import io.poolwatch.observed.ApplicationSampler;
import io.poolwatch.observed.ApplicationSnapshot;
import io.poolwatch.observed.UnmatchedSessions;

/**
 * {@code GET /api/v1/applications}: every application poolwatch watches but does not own, with its match in words and
 * its latest snapshot on each database, and the sessions no definition matches as suggestions. From the latest sample only.
 */
@Singleton
@RootedPath("/api/v1/applications")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationResource {

    /** The most defined names a 404 lists. */
    static final int MAX_NAMES_LISTED = 20;

    private final ApplicationSampler sampler;

    ApplicationResource(ApplicationSampler sampler) {
        this.sampler = sampler;
    }

    /**
     * @param applications every defined application, by name
     * @param suggestions sessions no definition matched, grouped, largest first (at most 50), each with a line to define it
     * @param databases what the latest read of each database gave
     */
    public record ApplicationsView(List<ApplicationView> applications, List<Suggestion> suggestions,
            List<ApplicationSampler.DatabaseRead> databases) {
    }

    /**
     * @param name the definition's name
     * @param match which sessions are its own, in words
     * @param applicationName the application-name pattern
     * @param user the user pattern, or {@code any}
     * @param clientAddress the client network, if any
     * @param database the database name it is limited to, if any
     * @param expectedMax its expected-max, if set
     * @param snapshots its latest snapshot on each database it is looked for on (none before the first sample)
     * @param utilization sessions / expected-max by database, where known
     */
    public record ApplicationView(String name, String match, String applicationName, String user,
            Optional<String> clientAddress,
            Optional<String> database, OptionalInt expectedMax, List<ApplicationSnapshot> snapshots,
            Map<String, Double> utilization) {
    }

    /**
     * @param sessions the unmatched sessions of one database, application name and user
     * @param config configuration that would define them
     */
    public record Suggestion(UnmatchedSessions sessions, String config) {
    }

    @GET
    public ApplicationsView list() {
        List<ApplicationView> apps = new ArrayList<>();
        sampler.definitions().stream().map(ApplicationDefinition::name).sorted()
                .forEach(n -> apps.add(view(sampler.definition(n).orElseThrow())));
        List<Suggestion> suggestions = sampler.suggestions().stream().map(s -> new Suggestion(s, suggestedConfig(s))).toList();
        return new ApplicationsView(apps, suggestions, sampler.databases());
    }

    /** One application; 404 with the defined names when there is none of that name. */
    @GET
    @Path("{name}")
    @APIResponse(responseCode = "200", description = "The application", content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    public Response get(@PathParam("name") String name) {
        Optional<ApplicationDefinition> d = sampler.definition(name);
        if (d.isEmpty()) {
            List<String> names = sampler.definitions().stream().map(ApplicationDefinition::name).sorted()
                    .limit(MAX_NAMES_LISTED).toList();
            String shown = name.length() > 100 ? name.substring(0, 100) + "..." : name;
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("no application '" + shown + "' is defined; defined: "
                            + (names.isEmpty() ? "none (poolwatch.applications.\"<name>\".application-name=...)"
                                    : String.join(", ", names)),
                            404))
                    .build();
        }
        return Response.ok(view(d.get())).build();
    }

    private ApplicationView view(ApplicationDefinition d) {
        List<ApplicationSnapshot> snapshots = sampler.latest(d.name());
        Map<String, Double> utilization = new LinkedHashMap<>();
        snapshots.forEach(s -> s.utilization().ifPresent(u -> utilization.put(s.database(), u)));
        return new ApplicationView(d.name(), d.describe(), d.applicationName().pattern(), d.userLabel(),
                d.clientAddress().map(c -> c.text()), d.database(), d.expectedMax(), snapshots, utilization);
    }

    /**
     * Configuration that would define a group of unmatched sessions: by application name where the server reports one,
     * else (MariaDB without performance_schema) by user.
     */
    public static String suggestedConfig(UnmatchedSessions s) {
        if (s.applicationName().isEmpty()) {
            String name = definitionName(s.user());
            return "poolwatch.applications.\"" + name + "\".application-name=*\npoolwatch.applications.\"" + name + "\".user="
                    + s.user();
        }
        return "poolwatch.applications.\"" + definitionName(s.applicationName()) + "\".application-name=" + s.applicationName();
    }

    /** A definition name made of the reported name: quotes and control characters left out, at most 128 characters. */
    static String definitionName(String reported) {
        StringBuilder b = new StringBuilder();
        reported.chars().filter(c -> c != '"' && c != '\\' && !Character.isISOControl(c)).forEach(c -> b.append((char) c));
        String n = b.toString().isBlank() ? "unnamed" : b.toString();
        return n.length() > 128 ? n.substring(0, 128) : n;
    }
}
