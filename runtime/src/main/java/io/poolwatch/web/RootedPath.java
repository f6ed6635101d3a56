package io.poolwatch.web;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The path of one of poolwatch's REST resources, relative to {@code poolwatch.http.root-path}. It takes the place of a
 * class-level {@code @Path}: when the application is built, poolwatch registers the class as a resource at the root
 * followed by this path, so {@code @RootedPath("/api/v1/pools")} answers at {@code /q/poolwatch/api/v1/pools} in a host
 * application and at {@code /api/v1/pools} in the standalone service. Methods keep their own {@code @Path}.
 */
@Retention(RUNTIME)
@Target(TYPE)
public @interface RootedPath {

    /** The path under the root, starting with '/'. */
    String value();
}
