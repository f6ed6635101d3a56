package io.poolwatch.alerting;

import java.nio.charset.StandardCharsets;
import java.util.SortedMap;

/**
 * An alert's fingerprint: FNV-1a 64 over its sorted label names and values, as Prometheus computes it, in 16 hex digits,
 * leaving out {@code severity}: an alert is what it is about, and one whose severity rises (error-rate above
 * DB_ERROR_RATE_CRITICAL) stays the same alert, with the same fingerprint, for receivers that key on it.
 */
final class Fingerprint {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final byte SEPARATOR = (byte) 0xff;
    private static final String SEVERITY = "severity";

    private Fingerprint() {
    }

    static String of(SortedMap<String, String> labels) {
        long hash = OFFSET;
        for (var e : labels.entrySet()) {
            if (e.getKey().equals(SEVERITY)) {
                continue;
            }
            hash = add(hash, e.getKey().getBytes(StandardCharsets.UTF_8));
            hash = add(hash, new byte[] { SEPARATOR });
            hash = add(hash, e.getValue().getBytes(StandardCharsets.UTF_8));
            hash = add(hash, new byte[] { SEPARATOR });
        }
        return String.format("%016x", hash);
    }

    private static long add(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= (b & 0xff);
            hash *= PRIME;
        }
        return hash;
    }
}
