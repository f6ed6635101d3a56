package io.poolwatch.web;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.poolwatch.config.Limits;
import io.poolwatch.config.RootPath;

/**
 * One page of a list the API returns: {@code ?limit=} (a default and a maximum per list, in
 * {@link io.poolwatch.config.Limits}) and {@code ?offset=}. The answer's JSON keeps its shape; the paging goes in headers:
 * {@code X-Total-Count} (the whole list's length) and, when more follow, {@code Link: <...>; rel="next"} (a path under the
 * root, so it never names a host the request claimed).
 *
 * @param limit most items in the answer
 * @param offset items skipped
 */
record Paging(int limit, int offset) {

    /**
     * Reads the query parameters; a bad one is a 400 naming it, the value and what is accepted.
     *
     * @param limit {@code ?limit=}, or null for {@code defaultLimit}
     * @param offset {@code ?offset=}, or null for 0
     */
    static Paging of(String limit, String offset, int defaultLimit, int maxLimit) {
        int l = limit == null || limit.isBlank() ? defaultLimit : parse("limit", limit, 1, maxLimit);
        int o = offset == null || offset.isBlank() ? 0 : parse("offset", offset, 0, Integer.MAX_VALUE);
        return new Paging(l, o);
    }

    private static int parse(String name, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = Integer.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw new WebApplicationException(Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(name + "=" + Limits.quote(value) + ": accepted: a whole number from " + min
                            + " to " + max, 400))
                    .build());
        }
        return n;
    }

    /** This page of {@code all}. */
    <T> List<T> slice(List<T> all) {
        if (offset >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList(offset, (int) Math.min(all.size(), (long) offset + limit)));
    }

    /**
     * An OK answer with {@code entity} and the paging headers for a list of {@code total} items at {@code path} (a path
     * under the root, such as {@code /api/v1/silences}; {@code query} is kept in the next link, may be empty).
     */
    Response ok(Object entity, int total, String path, String query) {
        Response.ResponseBuilder r = Response.ok(entity).header("X-Total-Count", total);
        if ((long) offset + limit < total) {
            String next = RootPath.link(path) + "?" + (query == null || query.isEmpty() ? "" : query + "&") + "limit=" + limit
                    + "&offset="
                    + (offset + limit);
            r.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return r.build();
    }
}
