package io.poolwatch.deployment;

import io.poolwatch.devui.PoolwatchJsonRpcService;
import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;

/**
 * poolwatch's card in the Dev UI ({@code /q/dev-ui}, dev mode only): a page listing every pool with its utilization
 * and state, fed by {@link PoolwatchJsonRpcService}, and a link to the dashboard at {@code poolwatch.http.root-path}.
 */
class PoolwatchDevUIProcessor {

    /** The page's web component, in {@code src/main/resources/dev-ui/}. */
    static final String POOLS_COMPONENT = "qwc-poolwatch-pools.js";

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    CardPageBuildItem card() {
        CardPageBuildItem card = new CardPageBuildItem();
        String root = PoolwatchProcessor.root();
        String dashboard = root.equals("/") ? "/" : root + "/";
        card.addBuildTimeData("dashboardPath", dashboard);
        card.addPage(Page.webComponentPageBuilder()
                .title("Pools")
                .icon("font-awesome-solid:database")
                .componentLink(POOLS_COMPONENT)
                .dynamicLabelJsonRPCMethodName("getPoolCount"));
        if (PoolwatchProcessor.dashboardEnabled()) {
            card.addPage(Page.externalPageBuilder("Dashboard")
                    .icon("font-awesome-solid:gauge-high")
                    .url(dashboard, dashboard)
                    .doNotEmbed());
        }
        return card;
    }

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(PoolwatchJsonRpcService.class);
    }
}
