package io.poolwatch.metrics;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.poolwatch.config.RootPath;
import io.poolwatch.security.Access;

/**
 * Keeps request paths out of the {@code uri} tag of Quarkus's {@code http.server.*} meters for poolwatch's paths.
 * Quarkus tags a request the router matched with the route's template ({@code /api/v1/pools/{name}}), but one it did
 * not (a 405, a 401 or 403 decided before routing, a 400 or 421 of {@code RequestGate}) with the raw path: anyone
 * could mint label values, one series per path, until Quarkus's cap of 100 stopped all new ones.
 * <p>
 * Under {@code poolwatch.http.root-path} a {@code uri} is kept when it is a template of {@link Access}'s table, or
 * a path below one of its prefixes (static files, health) that was answered (2xx or 3xx: only files that exist are);
 * any other becomes {@value #UNKNOWN}. A host application's own paths are left as they are.
 */
@Singleton
@Priority(Integer.MAX_VALUE)
public class RequestUriTags implements MeterFilter {

    /** The {@code uri} of a request poolwatch did not route to an endpoint. */
    public static final String UNKNOWN = "UNKNOWN";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("http.server")) {
            return id;
        }
        String uri = id.getTag("uri");
        if (uri == null || !uri.startsWith("/") || !RootPath.under(uri)) {
            return id;
        }
        if (known(RootPath.relative(uri), id.getTag("status"))) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag t : id.getTagsAsIterable()) {
            tags.add(t.getKey().equals("uri") ? Tag.of("uri", UNKNOWN) : t);
        }
        return id.replaceTags(tags);
    }

    /** Whether a root-relative {@code uri} is one of a bounded set: a template, or an answered file below a prefix. */
    static boolean known(String uri, String status) {
        boolean answered = status != null && (status.startsWith("2") || status.startsWith("3"));
        for (Access.Rule rule : Access.table()) {
            if (rule.access() == Access.DEV) {
                continue;
            }
            String t = rule.template();
            if (t.endsWith("/**")
                    ? answered && (uri.equals(t.substring(0, t.length() - 3)) || uri.startsWith(t.substring(0, t.length() - 2)))
                    : t.equals(uri)) {
                return true;
            }
        }
        return false;
    }
}
