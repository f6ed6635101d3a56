package io.poolwatch.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTransformation;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;

import io.poolwatch.config.RootPath;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.arc.deployment.BuildTimeConditionBuildItem;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.IndexDependencyBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourcePatternsBuildItem;
import io.quarkus.resteasy.reactive.server.spi.AnnotationsTransformerBuildItem;
import io.quarkus.vertx.http.deployment.spi.GeneratedStaticResourceBuildItem;

/**
 * What poolwatch does when an application that uses it is built: makes the runtime's beans, REST resources, health
 * checks and templates part of the application, serves the dashboard and API under {@code poolwatch.http.root-path},
 * publishes the dashboard's static files there, and applies poolwatch's access policy to that path.
 */
class PoolwatchProcessor {

    static final String FEATURE = "poolwatch";
    /** The package of the dashboard and API resources, whose paths are served under the root. */
    static final String WEB_PACKAGE = "io.poolwatch.web";
    static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    /** The dashboard's static files in the runtime jar, published under {@code <root>/static/}. */
    static final List<String> STATIC_FILES = List.of("css/dashboard.css", "js/dashboard.js", "icons/poolwatch.svg");
    /** htmx, from its webjar. */
    static final String HTMX = "META-INF/resources/webjars/htmx.org/%s/dist/htmx.min.js";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /** The runtime jar is indexed as part of the application: its beans, resources, checks and templates are discovered. */
    @BuildStep
    IndexDependencyBuildItem indexRuntime() {
        return new IndexDependencyBuildItem("io.poolwatch", "quarkus-poolwatch");
    }

    /** Every poolwatch resource's {@code @Path} is prefixed with the root: {@code /api/v1/pools} becomes {@code /q/poolwatch/api/v1/pools}. */
    @BuildStep
    AnnotationsTransformerBuildItem rootPath() {
        String root = root();
        return new AnnotationsTransformerBuildItem(AnnotationTransformation.forClasses()
                .whenClass(c -> isWebResource(c))
                .transform(ctx -> {
                    AnnotationInstance path = ctx.declaration().asClass().declaredAnnotation(PATH);
                    String value = path.value().asString();
                    String prefixed = root.equals("/") ? value : root + (value.startsWith("/") ? value : "/" + value);
                    ctx.remove(a -> a.name().equals(PATH));
                    ctx.add(AnnotationInstance.builder(PATH).value(prefixed).build());
                }));
    }

    /** With {@code poolwatch.dashboard.enabled=false} the dashboard and API resources are left out of the application. */
    @BuildStep
    void dashboardEnabled(CombinedIndexBuildItem index, BuildProducer<BuildTimeConditionBuildItem> conditions) {
        if (dashboardEnabled()) {
            return;
        }
        for (AnnotationInstance path : index.getIndex().getAnnotations(PATH)) {
            if (path.target().kind() == org.jboss.jandex.AnnotationTarget.Kind.CLASS && isWebResource(path.target().asClass())) {
                conditions.produce(new BuildTimeConditionBuildItem(path.target(), false));
            }
        }
    }

    /** The dashboard's CSS, script, icon and htmx, served under {@code <root>/static/}. */
    @BuildStep
    void staticFiles(BuildProducer<GeneratedStaticResourceBuildItem> files) throws IOException {
        if (!dashboardEnabled()) {
            return;
        }
        String base = (root().equals("/") ? "" : root()) + "/static/";
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String file : STATIC_FILES) {
            files.produce(new GeneratedStaticResourceBuildItem(base + file, read(loader, "poolwatch/static/" + file)));
        }
        files.produce(new GeneratedStaticResourceBuildItem(base + "htmx.min.js", read(loader, String.format(HTMX, htmxVersion(loader)))));
    }

    /** poolwatch's access policy decides every request under the root (the standalone service widens it to every path). */
    @BuildStep
    void accessPolicy(BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        String root = root();
        defaults.produce(new RunTimeConfigurationDefaultBuildItem("quarkus.http.auth.permission.poolwatch.paths",
                root.equals("/") ? "/*" : root + "," + root + "/*"));
        defaults.produce(new RunTimeConfigurationDefaultBuildItem("quarkus.http.auth.permission.poolwatch.policy", "poolwatch"));
        // The root the application was built with, so the running application links to the paths that exist.
        defaults.produce(new RunTimeConfigurationDefaultBuildItem(RootPath.KEY, root));
    }

    /**
     * The dashboard's forms bring Quarkus REST's CSRF filter into the host application, whose default refuses (400) every
     * POST that is not a form: the host's own JSON API with it. Forms are still checked; JSON is not a form a browser can
     * send from another origin without CORS, and AccessPolicy refuses cross-origin changes under poolwatch's root.
     */
    @BuildStep
    void csrfAcceptsJson(BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        defaults.produce(new RunTimeConfigurationDefaultBuildItem("quarkus.rest-csrf.require-form-url-encoded", "false"));
    }

    /** The store's migrations are read from the classpath at run time, also in a native image. */
    @BuildStep
    NativeImageResourcePatternsBuildItem migrations() {
        return NativeImageResourcePatternsBuildItem.builder().includeGlob("db/outbox/**").build();
    }

    static boolean isWebResource(ClassInfo c) {
        return c.name().packagePrefix() != null && c.name().packagePrefix().equals(WEB_PACKAGE) && c.declaredAnnotation(PATH) != null;
    }

    static String root() {
        Config config = ConfigProvider.getConfig();
        return RootPath.normalize(config.getOptionalValue(RootPath.KEY, String.class).orElse(RootPath.DEFAULT));
    }

    static boolean dashboardEnabled() {
        Optional<String> value = ConfigProvider.getConfig().getOptionalValue("poolwatch.dashboard.enabled", String.class);
        return value.map(v -> io.poolwatch.config.Converters.parseBoolean(v)).orElse(true);
    }

    private static String htmxVersion(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
            if (in == null) {
                throw new IOException("htmx.org's webjar is not on the build class path");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }

    private static byte[] read(ClassLoader loader, String resource) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from quarkus-poolwatch");
            }
            return in.readAllBytes();
        }
    }
}
