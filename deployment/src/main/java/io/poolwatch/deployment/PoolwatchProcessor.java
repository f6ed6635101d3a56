package io.poolwatch.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;

import io.poolwatch.config.Converters;
import io.poolwatch.config.RootPath;
import io.poolwatch.config.RootPathRecorder;
import io.poolwatch.web.RootedPath;
import io.quarkus.arc.deployment.BuildTimeConditionBuildItem;
import io.quarkus.arc.deployment.ExcludedTypeBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.IndexDependencyBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourcePatternsBuildItem;
import io.quarkus.resteasy.reactive.spi.AdditionalResourceClassBuildItem;
import io.quarkus.vertx.http.deployment.spi.GeneratedStaticResourceBuildItem;

/**
 * What poolwatch does when an application that uses it is built: makes the runtime's beans, REST resources, health
 * checks and templates part of the application, serves the dashboard and API under {@code poolwatch.http.root-path},
 * publishes the dashboard's static files there, and applies poolwatch's access policy to that path.
 */
class PoolwatchProcessor {

    static final String FEATURE = "poolwatch";
    /** What the dashboard's pages and the API's answers are made from; beans only while the dashboard is. */
    static final List<DotName> DASHBOARD_VIEWS = Stream
            .of("DashboardViews", "OverviewViews", "PoolPageViews", "CheckPageViews", "FaultViews", "AlertsPageViews",
                    "ServerViews", "ReceiverViews", "TrendViews")
            .map(n -> DotName.createSimple("io.poolwatch.web." + n)).toList();
    static final DotName ROOTED_PATH = DotName.createSimple(RootedPath.class.getName());
    /** The OTLP export of the pool figures: classes that need quarkus-opentelemetry, an optional dependency. */
    static final DotName OTLP_PACKAGE = DotName.createSimple("io.poolwatch.metrics.otlp");
    /** The pool histograms' Prometheus collector, a bean only with the registry below. */
    static final DotName PROMETHEUS_HISTOGRAMS = DotName.createSimple("io.poolwatch.metrics.PrometheusHistograms");
    /** The simpleclient collector the bean above registers, a subclass of a class that is missing with the registry. */
    static final String PROMETHEUS_COLLECTOR = "io.poolwatch.metrics.PoolHistogramCollector";
    /** Micrometer's Prometheus registry on simpleclient, the one quarkus-micrometer-registry-prometheus brings. */
    static final String PROMETHEUS_REGISTRY = "io.micrometer.prometheus.PrometheusMeterRegistry";
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

    /**
     * Every poolwatch resource is registered at the root followed by its {@link RootedPath}: {@code /api/v1/pools} is
     * served at {@code /q/poolwatch/api/v1/pools}. The resources carry no class-level {@code @Path}, so they exist only
     * there.
     */
    @BuildStep
    void resources(CombinedIndexBuildItem index, BuildProducer<AdditionalResourceClassBuildItem> resources,
            BuildProducer<UnremovableBeanBuildItem> unremovable) {
        if (!dashboardEnabled()) {
            return;
        }
        String root = root();
        for (AnnotationInstance rooted : index.getIndex().getAnnotations(ROOTED_PATH)) {
            String path = rooted.value().asString();
            String full = root.equals("/") ? path : path.equals("/") ? root : root + path;
            resources.produce(new AdditionalResourceClassBuildItem(rooted.target().asClass(), full));
        }
        // Nothing injects the resources; Quarkus REST looks them up as beans.
        unremovable.produce(UnremovableBeanBuildItem.targetWithAnnotation(ROOTED_PATH));
    }

    /**
     * With {@code poolwatch.dashboard.enabled=false} the dashboard and the API are left out of the application: their
     * resources are not registered (see {@link #resources}) and neither they nor the dashboard's views are beans.
     */
    @BuildStep
    void dashboardEnabled(CombinedIndexBuildItem index, BuildProducer<BuildTimeConditionBuildItem> conditions) {
        if (dashboardEnabled()) {
            return;
        }
        for (AnnotationInstance rooted : index.getIndex().getAnnotations(ROOTED_PATH)) {
            conditions.produce(new BuildTimeConditionBuildItem(rooted.target(), false));
        }
        for (DotName views : DASHBOARD_VIEWS) {
            conditions.produce(new BuildTimeConditionBuildItem(index.getIndex().getClassByName(views), false));
        }
    }

    /**
     * The pool figures go to OpenTelemetry only when the application has {@code quarkus-opentelemetry} with metrics on
     * ({@code quarkus.otel.metrics.enabled=true}, which provides the capability); otherwise the OTLP classes, whose
     * dependency is optional and then absent, are not beans, and poolwatch turns on no tracing and no exporter.
     */
    @BuildStep
    void otlpExport(Capabilities capabilities, CombinedIndexBuildItem index,
            BuildProducer<BuildTimeConditionBuildItem> conditions) {
        if (capabilities.isPresent(Capability.OPENTELEMETRY_METRICS)) {
            return;
        }
        for (ClassInfo c : index.getIndex().getClassesInPackage(OTLP_PACKAGE)) {
            conditions.produce(new BuildTimeConditionBuildItem(c, false));
        }
    }

    /**
     * The pool histograms join a Prometheus registry of Micrometer's simpleclient kind (Quarkus's). Where that registry is
     * not on the class path (a host exporting through another registry, or none), {@code PrometheusHistograms}, which
     * refers to it, is no bean: nothing loads it, and the application starts as before.
     */
    @BuildStep
    void prometheusHistograms(CombinedIndexBuildItem index, BuildProducer<BuildTimeConditionBuildItem> conditions,
            BuildProducer<ExcludedTypeBuildItem> excluded) {
        if (!QuarkusClassLoader.isClassPresentAtRuntime(PROMETHEUS_REGISTRY)) {
            conditions.produce(new BuildTimeConditionBuildItem(index.getIndex().getClassByName(PROMETHEUS_HISTOGRAMS), false));
            // Not a bean either way; left out of bean discovery so that it does not look for its missing superclass.
            excluded.produce(new ExcludedTypeBuildItem(PROMETHEUS_COLLECTOR));
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
        files.produce(new GeneratedStaticResourceBuildItem(base + "htmx.min.js",
                read(loader, String.format(HTMX, htmxVersion(loader)))));
    }

    /** poolwatch's access policy decides every request under the root (the standalone service widens it to every path). */
    @BuildStep
    void accessPolicy(BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        String root = root();
        defaults.produce(new RunTimeConfigurationDefaultBuildItem("quarkus.http.auth.permission.poolwatch.paths",
                root.equals("/") ? "/*" : root + "," + root + "/*"));
        defaults.produce(
                new RunTimeConfigurationDefaultBuildItem("quarkus.http.auth.permission.poolwatch.policy", "poolwatch"));
        // The root the application was built with, so the running application links to the paths that exist.
        defaults.produce(new RunTimeConfigurationDefaultBuildItem(RootPath.KEY, root));
    }

    /** The running application makes its links from the root its endpoints were registered under. */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    void recordRoot(RootPathRecorder recorder) {
        recorder.builtWith(root());
    }

    /** A different root at run time (an environment variable, say) stops start-up, naming the key. */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void checkRoot(RootPathRecorder recorder) {
        recorder.check(root());
    }

    /** The store's migrations are read from the classpath at run time, also in a native image. */
    @BuildStep
    NativeImageResourcePatternsBuildItem migrations() {
        return NativeImageResourcePatternsBuildItem.builder().includeGlob("db/outbox/**").build();
    }

    static String root() {
        Config config = ConfigProvider.getConfig();
        return RootPath.normalize(config.getOptionalValue(RootPath.KEY, String.class).orElse(RootPath.DEFAULT));
    }

    static boolean dashboardEnabled() {
        Optional<String> value = ConfigProvider.getConfig().getOptionalValue("poolwatch.dashboard.enabled", String.class);
        return value.map(v -> Converters.parseBoolean(v)).orElse(true);
    }

    private static String htmxVersion(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
            if (in == null) {
                throw new IOException("htmx.org's webjar is not on the build class path");
            }
            Properties p = new Properties();
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
