package io.poolwatch.observed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.Limits;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;

/** The PgBouncers' part of the start-up validation: {@code poolwatch.pgbouncer."<name>".url|username|password}. */
@ApplicationScoped
public class PgBouncerConfigurationCheck implements ConfigurationCheck {

    static final String PREFIX = "poolwatch.pgbouncer.";
    /** The most PgBouncers watched: each costs one console connection and one read per sample. */
    public static final int MAX_PGBOUNCERS = 50;
    /** The longest name (it is a meter label and a path segment). */
    public static final int MAX_NAME_LENGTH = 63;
    /** The longest user name PgBouncer takes (its MAX_USERNAME is 128 bytes). */
    static final int MAX_USERNAME_LENGTH = 127;
    static final String ACCEPTED_NAMES = "letters, digits, '-', '_' and '.', 1 to " + MAX_NAME_LENGTH + " characters";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_NAME_LENGTH + "}");

    private final PoolwatchConfig config;

    public PgBouncerConfigurationCheck(PoolwatchConfig config) {
        this.config = config;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        return problems(config);
    }

    /** Every problem of the PgBouncer keys, each with its key, its value (never a password) and what is accepted. */
    public static List<String> problems(PoolwatchConfig config) {
        List<String> problems = new ArrayList<>();
        Map<String, PoolwatchConfig.PgBouncerConfig> all = config.pgbouncer();
        if (all.size() > MAX_PGBOUNCERS) {
            problems.add(PREFIX + "\"<name>\": " + all.size() + " PgBouncers defined; accepted: at most " + MAX_PGBOUNCERS);
        }
        for (Map.Entry<String, PoolwatchConfig.PgBouncerConfig> e : all.entrySet()) {
            String name = e.getKey();
            String prefix = PREFIX + "\"" + Limits.quote(name) + "\".";
            if (!NAME.matcher(name).matches()) {
                problems.add(PREFIX + "\"" + Limits.quote(name) + "\": the name is not accepted; accepted: " + ACCEPTED_NAMES);
            }
            PoolwatchConfig.PgBouncerConfig c = e.getValue();
            if (c.url().isEmpty()) {
                problems.add(prefix + "url is missing; accepted: " + PgBouncerAddress.ACCEPTED);
            } else {
                try {
                    PgBouncerAddress.parse(c.url().get());
                } catch (IllegalArgumentException ex) {
                    problems.add(prefix + "url=" + ex.getMessage());
                }
            }
            if (c.username().isEmpty() || c.username().get().isBlank()) {
                problems.add(prefix + "username"
                        + (c.username().isEmpty() ? " is missing" : "=\"" + c.username().get() + "\": blank")
                        + "; accepted: a user listed in PgBouncer's stats_users (or admin_users)");
            } else if (c.username().get().length() > MAX_USERNAME_LENGTH) {
                problems.add(prefix + "username=\"" + Limits.quote(c.username().get()) + "\": " + c.username().get().length()
                        + " characters; accepted: at most " + MAX_USERNAME_LENGTH);
            }
            if (c.password().isPresent() && c.password().get().length() > 1024) {
                problems.add(prefix + "password (not shown): " + c.password().get().length()
                        + " characters; accepted: at most 1024");
            }
        }
        return problems;
    }
}
