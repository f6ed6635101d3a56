package io.poolwatch.web;

import io.poolwatch.config.RootPath;
import io.quarkus.qute.TemplateExtension;

/** Links in the templates: {@code {pw:root}} is the prefix every page, fragment, form and static file path starts with. */
@TemplateExtension(namespace = "pw")
public final class PageLinks {

    private PageLinks() {
    }

    /** {@code /} in the standalone service, {@code /q/poolwatch/} in a host application (see {@link RootPath}). */
    static String root() {
        return RootPath.prefix();
    }
}
