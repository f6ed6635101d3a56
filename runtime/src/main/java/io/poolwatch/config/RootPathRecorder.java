package io.poolwatch.config;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.annotations.Recorder;

/** Hands the root path the application was built with to the running application, and refuses a different one. */
@Recorder
public class RootPathRecorder {

    /** Links are made from the root the endpoints were registered under, whatever the configuration says later. */
    public void builtWith(String root) {
        RootPath.built(root);
    }

    /**
     * The resources exist under the root they were built with: a different {@code poolwatch.http.root-path} at run time
     * (an environment variable, say) would leave every link pointing nowhere, so start-up is refused naming it.
     */
    public void check(String root) {
        ConfigProvider.getConfig().getOptionalValue(RootPath.KEY, String.class).ifPresent(value -> {
            String normalized;
            try {
                normalized = RootPath.normalize(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(List.of(e.getMessage()));
            }
            if (!normalized.equals(root)) {
                throw new InvalidConfigurationException(
                        List.of(RootPath.KEY + "=" + value + ": fixed when the application is built, and "
                                + "this build serves the dashboard and API under " + root + "; accepted: " + root
                                + ", or build again with the new value"));
            }
        });
    }
}
