package io.poolwatch.pool;

import java.sql.Connection;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSourceListener;

/** Logs each checkout and check-in of a pool whose echo setting is on (the seed's DB_ECHO_POOL). */
final class PoolEcho implements AgroalDataSourceListener {

    private static final Logger LOG = Logger.getLogger("io.poolwatch.pool.echo");
    private final String pool;

    PoolEcho(String pool) {
        this.pool = pool;
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        LOG.infof("pool %s: checkout on %s", pool, Thread.currentThread().getName());
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        LOG.infof("pool %s: checkin on %s", pool, Thread.currentThread().getName());
    }

    @Override
    public void onConnectionCreation(Connection connection) {
        LOG.infof("pool %s: connect", pool);
    }

    @Override
    public void onConnectionDestroy(Connection connection) {
        LOG.infof("pool %s: close connection", pool);
    }
}
