package io.poolwatch.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What closed-loop sizing does with a pool's max-size ({@code poolwatch.pools."<name>".autosize.mode}). */
public enum AutosizeMode {
    /** The max-size stays; the computation only feeds the sizing advice. */
    OFF("off"),
    /** Each change it would make is recorded, none applied. */
    DRY_RUN("dry-run"),
    /** Each change is applied and recorded. */
    ON("on");

    /** The accepted values, for messages. */
    public static final String ACCEPTED = Arrays.stream(values()).map(AutosizeMode::label).collect(Collectors.joining(", "));

    private final String label;

    AutosizeMode(String label) {
        this.label = label;
    }

    /** As configured and shown. */
    public String label() {
        return label;
    }

    /** The mode a configured value names, case-insensitively; throws naming the accepted values for any other. */
    public static AutosizeMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (AutosizeMode m : values()) {
            if (m.label.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("accepted: " + ACCEPTED);
    }
}
