package io.poolwatch.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The test PostgreSQL (as {@link PostgresTestResource}) and a real PgBouncer in front of it ({@link PgBouncerServer}:
 * pool size 1, transaction mode), watched as {@code poolwatch.pgbouncer.edge}; and {@code poolwatch.pgbouncer.gone},
 * whose console is a loopback port nothing listens on. Skips (an assumption fails) where PgBouncer is not installed.
 */
public class PgBouncerTestResource implements QuarkusTestResourceLifecycleManager {

    /** The system property that tells the test the PgBouncer's address (the test runs in another class loader). */
    public static final String ADDRESS_PROPERTY = "test.pgbouncer.address";

    private PgBouncerServer bouncer;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(new PostgresTestResource().start());
        try {
            bouncer = PgBouncerServer.builder().poolSize(1).poolMode("transaction").start();
            int closedPort;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            config.put("poolwatch.pgbouncer.edge.url", bouncer.consoleUrl());
            config.put("poolwatch.pgbouncer.edge.username", bouncer.statsUser());
            config.put("poolwatch.pgbouncer.edge.password", bouncer.statsPassword());
            config.put("poolwatch.pgbouncer.gone.url", "127.0.0.1:" + closedPort);
            config.put("poolwatch.pgbouncer.gone.username", "stats");
            System.setProperty(ADDRESS_PROPERTY, bouncer.address());
            return config;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        System.clearProperty(ADDRESS_PROPERTY);
        if (bouncer != null) {
            bouncer.close();
        }
    }
}
