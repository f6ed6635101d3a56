package io.poolwatch.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.IndexView;

import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.smallrye.openapi.deployment.spi.AddToOpenAPIDefinitionBuildItem;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;

/**
 * poolwatch's JSON API in the application's OpenAPI document, where the application has {@code quarkus-smallrye-openapi}
 * (the standalone service does; a host application chooses). Quarkus's scanner finds REST resources by their
 * class-level {@code @Path}, which poolwatch's resources do not have ({@link io.poolwatch.web.RootedPath}: they are
 * registered at the root followed by their path, see {@link PoolwatchProcessor#resources}); so they are scanned here,
 * with the same SmallRye scanner, told each class's path as it is registered, and added to the document
 * ({@link ApiDocumentFilter}) with the role each operation needs, read from {@link io.poolwatch.security.Access}.
 */
class PoolwatchOpenApiProcessor {

    /** The JSON API's resources: the {@link io.poolwatch.web.RootedPath}s under {@value}. */
    static final String API = "/api/";

    @BuildStep
    void document(Capabilities capabilities, CombinedIndexBuildItem index, HttpRootPathBuildItem httpRoot,
            BuildProducer<AddToOpenAPIDefinitionBuildItem> documents) {
        if (!capabilities.isPresent(Capability.SMALLRYE_OPENAPI) || !PoolwatchProcessor.dashboardEnabled()) {
            return;
        }
        IndexView view = index.getIndex();
        List<ApiDocument.Resource> resources = resources(view);
        String root = PoolwatchProcessor.root();
        Config config = ConfigProvider.getConfig();
        String contextRoot = ApiDocument.join(httpRoot.getRootPath(),
                capabilities.isPresent(Capability.RESTEASY_REACTIVE)
                        ? config.getOptionalValue("quarkus.rest.path", String.class).orElse("")
                        : "");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        documents.produce(new AddToOpenAPIDefinitionBuildItem(
                new ApiDocumentFilter(() -> ApiDocument.model(view, resources, root, contextRoot, config, loader))));
    }

    /** The JSON API's resource classes, in path order. */
    static List<ApiDocument.Resource> resources(IndexView index) {
        List<ApiDocument.Resource> out = new ArrayList<>();
        for (AnnotationInstance rooted : index.getAnnotations(PoolwatchProcessor.ROOTED_PATH)) {
            String path = rooted.value().asString();
            if (path.startsWith(API)) {
                out.add(new ApiDocument.Resource(rooted.target().asClass(), path));
            }
        }
        out.sort(Comparator.comparing(ApiDocument.Resource::rootedPath));
        return out;
    }
}
