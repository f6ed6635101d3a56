package io.poolwatch.web;

import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Whether a request went to one of poolwatch's own resources ({@link RootedPath}): poolwatch's filters and mappers act
 * on those and leave a host application's requests as they are.
 */
final class OwnResources {

    private OwnResources() {
    }

    static boolean ours(SimpleResourceInfo resource) {
        return resource != null && resource.getResourceClass() != null
                && resource.getResourceClass().isAnnotationPresent(RootedPath.class);
    }
}
