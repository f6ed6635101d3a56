package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Only poolwatch's own paths are audited as its admin actions; a host application's writes are its own business. */
class AdminAuditScopeTest {

    @Test
    void underTheRootOnlyInAHost() {
        assertTrue(AdminAudit.ours("/q/poolwatch/api/v1/silences", "/q/poolwatch/"));
        assertTrue(AdminAudit.ours("/q/poolwatch", "/q/poolwatch/"));
        assertFalse(AdminAudit.ours("/accounts", "/q/poolwatch/"));
        assertFalse(AdminAudit.ours("/q/poolwatcher", "/q/poolwatch/"));
    }

    @Test
    void everythingInTheStandaloneService() {
        assertTrue(AdminAudit.ours("/accounts", "/"));
        assertTrue(AdminAudit.ours("/api/v1/silences", "/"));
    }
}
