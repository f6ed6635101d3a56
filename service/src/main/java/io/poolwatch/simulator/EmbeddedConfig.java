package io.poolwatch.simulator;

import io.poolwatch.config.Converters;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** The standalone service's embedded demo database, used when no database URL is configured ({@code poolwatch.embedded.*}). */
@ConfigMapping(prefix = "poolwatch.embedded")
public interface EmbeddedConfig {

    /** Start an embedded database when no URL is configured; false makes a missing URL an error. */
    @WithDefault("true")
    @WithConverter(Converters.StrictBooleanConverter.class)
    boolean enabled();

    /** postgresql (a real PostgreSQL 16 run by the process) or h2; postgresql falls back to h2 where it cannot run. */
    @WithDefault("postgresql")
    EmbeddedKind kind();

    /** Rows generated in the demo's analytics table. */
    @WithDefault("200000")
    @WithConverter(Converters.IntegerConverter.class)
    int demoRows();

    /** The embedded database engines. */
    enum EmbeddedKind {
        POSTGRESQL,
        H2
    }
}
