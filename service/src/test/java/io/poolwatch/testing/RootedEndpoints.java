package io.poolwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;

import io.poolwatch.web.RootedPath;

/**
 * Every resource method poolwatch serves under its root, read by reflection from the compiled classes (the extension's
 * and the service's own), so a test built on it covers an endpoint added later without anyone listing it.
 */
public final class RootedEndpoints {

    /**
     * One resource method.
     *
     * @param method GET, POST ...
     * @param template its path template under the root, {@code /api/v1/pools/{name}}
     * @param produces what it answers with, from its own or its class's {@code @Produces}
     * @param source the class and method, for messages
     */
    public record Endpoint(String method, String template, String produces, String source) {
    }

    private RootedEndpoints() {
    }

    /** Every resource method of every {@link RootedPath} class, sorted by template and method. */
    public static List<Endpoint> all() {
        List<Endpoint> out = new ArrayList<>();
        for (Class<?> type : classes()) {
            RootedPath rooted = type.getAnnotation(RootedPath.class);
            if (rooted == null) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                String template = ("/" + rooted.value() + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                if (template.length() > 1 && template.endsWith("/")) {
                    template = template.substring(0, template.length() - 1);
                }
                Produces produces = m.isAnnotationPresent(Produces.class) ? m.getAnnotation(Produces.class)
                        : type.getAnnotation(Produces.class);
                out.add(new Endpoint(verb, template, produces == null ? "" : String.join(",", produces.value()),
                        type.getSimpleName() + "." + m.getName()));
            }
        }
        out.sort(Comparator.comparing(Endpoint::template).thenComparing(Endpoint::method));
        return out;
    }

    private static List<Class<?>> classes() {
        List<Class<?>> types = new ArrayList<>();
        for (String[] place : new String[][] { { "../runtime/target/classes/io/poolwatch/web", "io.poolwatch.web." },
                { "target/classes/io/poolwatch/simulator", "io.poolwatch.simulator." } }) {
            try (Stream<Path> files = Files.list(Path.of(place[0]))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$"))
                        .toList()) {
                    types.add(Class.forName(place[1] + f.getFileName().toString().replace(".class", "")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return types;
    }

    private static String verb(Method m) {
        return m.isAnnotationPresent(GET.class) ? "GET"
                : m.isAnnotationPresent(POST.class) ? "POST"
                        : m.isAnnotationPresent(DELETE.class) ? "DELETE"
                                : m.isAnnotationPresent(PUT.class) ? "PUT"
                                        : m.isAnnotationPresent(PATCH.class) ? "PATCH"
                                                : m.isAnnotationPresent(HEAD.class) ? "HEAD"
                                                        : m.isAnnotationPresent(OPTIONS.class) ? "OPTIONS" : null;
    }
}
